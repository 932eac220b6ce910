import { isEventOf, Role } from '@salesline/shared-kernel';
import { EventStore, RecordedEvent } from '../event-store/event-store.port';
import type { CredentialKind, UserAccessEvent } from './user-access.decider';

export const USER_STREAM_PREFIX = 'user-';
/** Where rotations of the bootstrap admin token are recorded (as a hash). */
export const ADMIN_ACCESS_STREAM = 'system-admin-access';

export type AdminTokenRotated = { type: 'AdminTokenRotated'; data: { tokenHash: string; rotatedAt: string } };

/** The facts the registry folds. */
type AccessEvent = UserAccessEvent | AdminTokenRotated;
const ACCESS_EVENT_TYPES = [
  'AccessTokenIssued',
  'AccessTokenRevoked',
  'AllAccessTokensRevoked',
  'AdminTokenRotated',
] as const satisfies readonly AccessEvent['type'][];
const isAccessEvent = isEventOf<AccessEvent>(ACCESS_EVENT_TYPES);

export type Credential = Readonly<{
  tokenId: string;
  userId: string;
  kind: CredentialKind;
  /** Global position of its grant: a revoke-all recorded later ends it. */
  position: number;
  expiresAt: string | null;
  keyHash?: string;
}>;

type UserRecord = { roles: Role[]; revokedAllAt: number };

/** The facts the registry folds; it reads nothing else, and only from the access streams. */
export const ACCESS_FILTER = {
  streamPrefixes: [USER_STREAM_PREFIX, ADMIN_ACCESS_STREAM],
  eventTypes: ACCESS_EVENT_TYPES,
} as const;

/**
 * Who may act, as the event log says right now: each user's current roles, each credential
 * with its state, and the current admin token hash. Every authenticated request first catches
 * up from the log (one filtered read of whatever was appended since the last request), so a
 * revocation recorded by any replica takes effect on the very next request everywhere.
 *
 * The state is kept incrementally: each catch-up reads only the access facts after the last one
 * folded, by event type as well as stream (stores serve a type filter from an index), so its cost
 * follows the access facts recorded since, not the length of the log after the last grant.
 */
export class AccessRegistry {
  private position = 0;
  /** The access-type head at the last full read: access-typed events outside the access streams do not count as new. */
  private checkedUpTo = 0;
  private readonly users = new Map<string, UserRecord>();
  private readonly credentials = new Map<string, Credential>();
  private readonly revoked = new Set<string>();
  private adminTokenHash: string | null = null;
  private tail: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;

  constructor(private readonly events: EventStore) {}

  /**
   * Catches up with the log. A caller never joins a read that started before it arrived (it
   * could miss a revocation appended in between); concurrent callers share the next read.
   */
  refresh(): Promise<void> {
    if (!this.queued) {
      const run = this.tail.then(() => {
        this.queued = null;
        return this.catchUp();
      });
      this.queued = run;
      this.tail = run.catch(() => undefined);
    }
    return this.queued;
  }

  private async catchUp(): Promise<void> {
    // The cheap question first (one index seek per access type): was an access fact recorded after
    // the last one this registry read up to? Most requests find none and read nothing more.
    const head = await this.events.headPosition({ eventTypes: ACCESS_FILTER.eventTypes });
    if (head <= Math.max(this.position, this.checkedUpTo)) return;
    for (;;) {
      const batch = await this.events.readAll({
        afterPosition: this.position,
        maxCount: 1000,
        filter: ACCESS_FILTER,
      });
      for (const event of batch) this.apply(event);
      if (batch.length < 1000) {
        // Every access-typed event up to `head` was committed before this read began, and it found
        // them all: a later head check need not read again unless a newer one arrives.
        this.checkedUpTo = Math.max(this.checkedUpTo, head);
        return;
      }
    }
  }

  private apply(event: RecordedEvent): void {
    this.position = Math.max(this.position, event.position);
    if (!isAccessEvent(event)) return;
    switch (event.type) {
      case 'AccessTokenIssued': {
        const grant = event.data;
        const user = this.users.get(grant.userId) ?? { roles: [], revokedAllAt: 0 };
        user.roles = [...grant.roles];
        this.users.set(grant.userId, user);
        // Grants recorded before tokens expired carry no kind or expiry: they stay unusable.
        if (grant.kind) {
          this.credentials.set(grant.tokenId, {
            tokenId: grant.tokenId,
            userId: grant.userId,
            kind: grant.kind,
            position: event.position,
            expiresAt: grant.expiresAt ?? null,
            keyHash: grant.keyHash,
          });
        }
        return;
      }
      case 'AccessTokenRevoked':
        this.revoked.add(event.data.tokenId);
        return;
      case 'AllAccessTokensRevoked': {
        const { userId } = event.data;
        const user = this.users.get(userId) ?? { roles: [], revokedAllAt: 0 };
        user.revokedAllAt = event.position;
        this.users.set(userId, user);
        return;
      }
      case 'AdminTokenRotated':
        this.adminTokenHash = event.data.tokenHash;
        return;
    }
  }

  /** The credential if it exists and was neither revoked nor ended by a revoke-all (expiry is the caller's). */
  activeCredential(tokenId: string): Credential | null {
    const credential = this.credentials.get(tokenId);
    if (!credential || this.revoked.has(tokenId)) return null;
    const user = this.users.get(credential.userId);
    if (user && credential.position < user.revokedAllAt) return null;
    return credential;
  }

  credential(tokenId: string): Credential | null {
    return this.credentials.get(tokenId) ?? null;
  }

  /** The user's roles now (those of their latest grant). */
  rolesOf(userId: string): Role[] {
    return this.users.get(userId)?.roles ?? [];
  }

  /** The hash of the rotated admin token, or null while the configured one holds. */
  currentAdminTokenHash(): string | null {
    return this.adminTokenHash;
  }
}
