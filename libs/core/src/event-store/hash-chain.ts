import { createHmac, hash, timingSafeEqual } from 'node:crypto';

/**
 * The tamper-evidence chain: each event stores sha256 over its content, its metadata and the
 * previous event's hash. Pure functions only, so every adapter (SQLite: one chain over the
 * global log; EventStoreDB: one chain per stream, carried in the metadata) hashes the same way.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** What a link covers. `position` and `recordedAt` are covered where the store knows them before the write (SQLite). */
export type ChainContent = Readonly<{
  position?: number;
  id: string;
  streamName: string;
  revision: number;
  type: string;
  /** The data exactly as serialised (JSON text): what is stored is what is hashed. */
  dataJson: string;
  /** The metadata as serialised (JSON text), without the chain's own fields. */
  metadataJson: string;
  recordedAt?: string;
}>;

/** sha256 (hex) of one event's content chained to the previous event's hash. */
export const chainHash = (content: ChainContent, previousHash: string): string =>
  // One-shot hash of the concatenation: the same digest as updating a Hash piece by piece, without its object.
  hash(
    'sha256',
    `${previousHash}\n${JSON.stringify([
      content.position ?? null,
      content.id,
      content.streamName,
      content.revision,
      content.type,
      content.dataJson,
      content.metadataJson,
      content.recordedAt ?? null,
    ])}`,
    'hex',
  );

/** The last link of the log: export it and keep it elsewhere; a later verify against it catches a rewritten tail. */
export type ChainAnchor = Readonly<{ position: number; eventId: string; hash: string; anchoredAt: string }>;

/** An anchor as written to a file: signed with HMAC-SHA256 when a key is given (AUDIT_ANCHOR_KEY). */
export type SignedAnchor = ChainAnchor & Readonly<{ signature?: string }>;

const anchorText = (anchor: ChainAnchor) => JSON.stringify([anchor.position, anchor.eventId, anchor.hash, anchor.anchoredAt]);

export const signAnchor = (anchor: ChainAnchor, key: string | undefined): SignedAnchor => {
  const plain = { position: anchor.position, eventId: anchor.eventId, hash: anchor.hash, anchoredAt: anchor.anchoredAt };
  return key ? { ...plain, signature: createHmac('sha256', key).update(anchorText(plain)).digest('hex') } : plain;
};

/** Reads an anchor back; with a key, its signature must match (a forged anchor is refused). */
export const readAnchor = (value: unknown, key: string | undefined): ChainAnchor => {
  const a = value as Partial<SignedAnchor> | null;
  if (
    !a ||
    !Number.isSafeInteger(a.position) ||
    typeof a.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(a.hash) ||
    typeof a.eventId !== 'string'
  ) {
    throw new Error('not a chain anchor: expected { position, eventId, hash, anchoredAt }');
  }
  const anchor: ChainAnchor = { position: a.position!, eventId: a.eventId, hash: a.hash, anchoredAt: String(a.anchoredAt ?? '') };
  if (key) {
    const expected = createHmac('sha256', key).update(anchorText(anchor)).digest();
    const given = Buffer.from(typeof a.signature === 'string' ? a.signature : '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new Error('the anchor signature does not match AUDIT_ANCHOR_KEY');
  }
  return anchor;
};

export type IntegrityProblem =
  | 'content_altered' // the stored hash does not match the event's content and the previous hash
  | 'chain_broken' // the event was hashed against another predecessor: one was inserted, removed or rehashed
  | 'position_gap' // a position is missing (an event was deleted) or out of sequence
  | 'hash_missing'
  | 'anchor_mismatch' // the event at the anchored position is not the one anchored: the tail was rewritten
  | 'anchor_missing'; // the log is shorter than the anchor: the tail was cut

export type IntegrityReport = Readonly<{
  ok: boolean;
  /** How many events were checked. */
  checked: number;
  head: { position: number; hash: string; eventId: string | null };
  /** The first event that does not match (or the anchor that does not), when not ok. */
  firstMismatch?: Readonly<{
    problem: IntegrityProblem;
    position: number;
    eventId: string | null;
    streamName: string | null;
    revision: number | null;
    detail: string;
  }>;
}>;

/** One stored row as a verifier sees it: its content and the hash stored beside it. */
export type StoredLink = ChainContent & Readonly<{ position: number; storedHash: string | null; storedPreviousHash?: string | null }>;

/** A row of the `events` table as both SQL stores keep it: data and metadata as their stored texts (PostgreSQL's bigints as text). */
export type EventRow = Readonly<{
  position: number | string;
  id: string;
  stream_name: string;
  revision: number | string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  hash: string | null;
  previous_hash: string | null;
}>;

/** The link a stored row stands for. */
export const linkOfRow = (row: EventRow): StoredLink => ({
  position: Number(row.position),
  id: row.id,
  streamName: row.stream_name,
  revision: Number(row.revision),
  type: row.type,
  dataJson: row.data,
  metadataJson: row.metadata,
  recordedAt: row.recorded_at,
  storedHash: row.hash,
  storedPreviousHash: row.previous_hash,
});

/**
 * Walks links in order and names the first one that does not match. `sequential` (SQLite)
 * also requires positions 1, 2, 3, … with no gap. Feed it page by page through `check`.
 */
export class ChainVerifier {
  private previousHash = GENESIS_HASH;
  private previousPosition = 0;
  private lastId: string | null = null;
  private count = 0;
  private problem: IntegrityReport['firstMismatch'] | undefined;
  private anchorSeen = false;

  constructor(private readonly options: { sequential: boolean; anchor?: ChainAnchor; coversPosition: boolean }) {}

  get failed(): boolean {
    return this.problem !== undefined;
  }

  check(link: StoredLink): boolean {
    if (this.problem) return false;
    const fail = (problem: IntegrityProblem, detail: string) => {
      this.problem = { problem, position: link.position, eventId: link.id, streamName: link.streamName, revision: link.revision, detail };
      return false;
    };
    if (this.options.sequential && link.position !== this.previousPosition + 1) {
      return fail('position_gap', `expected position ${this.previousPosition + 1}, found ${link.position}`);
    }
    if (!link.storedHash) return fail('hash_missing', 'the event carries no hash');
    const content = this.options.coversPosition ? link : { ...link, position: undefined, recordedAt: undefined };
    if (link.storedPreviousHash != null && link.storedPreviousHash !== this.previousHash) {
      return fail(
        'chain_broken',
        `the event was chained to ${link.storedPreviousHash.slice(0, 12)}…, but the event before it has ${this.previousHash.slice(0, 12)}…: an event before it was inserted, removed or rehashed`,
      );
    }
    const expected = chainHash(content, this.previousHash);
    if (expected !== link.storedHash) {
      return fail(
        'content_altered',
        `stored hash ${link.storedHash.slice(0, 12)}… does not match the event's content chained to the previous hash (${expected.slice(0, 12)}…)`,
      );
    }
    const anchor = this.options.anchor;
    if (anchor && link.position === anchor.position) {
      this.anchorSeen = true;
      if (link.storedHash !== anchor.hash || (anchor.eventId !== '' && link.id !== anchor.eventId)) {
        return fail(
          'anchor_mismatch',
          `the anchored hash at position ${anchor.position} is ${anchor.hash.slice(0, 12)}…, the log now has ${link.storedHash.slice(0, 12)}…`,
        );
      }
    }
    this.previousHash = link.storedHash;
    this.previousPosition = link.position;
    this.lastId = link.id;
    this.count += 1;
    return true;
  }

  report(): IntegrityReport {
    const anchor = this.options.anchor;
    if (!this.problem && anchor && !this.anchorSeen && anchor.position > 0) {
      this.problem = {
        problem: 'anchor_missing',
        position: anchor.position,
        eventId: anchor.eventId,
        streamName: null,
        revision: null,
        detail: `the anchored event at position ${anchor.position} is no longer in the log (head is ${this.previousPosition})`,
      };
    }
    return {
      ok: !this.problem,
      checked: this.count,
      head: { position: this.previousPosition, hash: this.previousHash, eventId: this.lastId },
      ...(this.problem ? { firstMismatch: this.problem } : {}),
    };
  }
}
