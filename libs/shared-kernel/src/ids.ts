import { createHash } from 'node:crypto';

/** Ids are opaque strings safe inside a stream name: letters, digits, '_' and '-' (max 64). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const isValidId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);

/** A deterministic UUID-shaped id from a seed (used to derive ids from idempotency keys). */
export const deterministicId = (seed: string): string => {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
