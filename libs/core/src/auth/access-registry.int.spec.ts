import { join } from 'node:path';
import { makeTempDir, uniqueSuffix } from '../testing/contract-suite';
import { AllFilter, EventStore, NewEvent, ReadAllOptions } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { AccessRegistry, ADMIN_ACCESS_STREAM } from './access-registry';

const temp = makeTempDir('access-registry');
afterAll(() => temp.remove());

const meta = { actor: 'admin', correlationId: 'c', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 };
const fact = (type: string, data: unknown): NewEvent => ({ type, data, metadata: meta });
const grant = (userId: string, tokenId: string, roles: string[]) =>
  fact('AccessTokenIssued', { userId, roles, tokenId, issuedAt: meta.occurredAt, kind: 'access', expiresAt: '2027-01-01T00:00:00.000Z' });

/** Records what the registry asks of the store. */
const watched = (store: EventStore) => {
  const reads: ReadAllOptions[] = [];
  const proxy = new Proxy(store, {
    get: (target, prop, receiver) =>
      prop === 'readAll'
        ? (options: ReadAllOptions) => {
            reads.push(options);
            return target.readAll(options);
          }
        : Reflect.get(target, prop, receiver),
  });
  return { store: proxy, reads };
};

describe('Access registry: who may act, kept incrementally from the log', () => {
  it('given grants, unrelated business and a revocation, each catch-up reads from the last access fact folded, by type and stream', async () => {
    const sqlite = new SqliteEventStore(join(temp.path, `events-${uniqueSuffix()}.db`));
    const { store, reads } = watched(sqlite);
    const registry = new AccessRegistry(store);
    await sqlite.append('user-ann', [grant('ann', 't-1', ['salesperson'])], 'no_stream');
    await registry.refresh();
    expect(registry.rolesOf('ann')).toEqual(['salesperson']);
    expect(registry.activeCredential('t-1')).toMatchObject({ userId: 'ann', kind: 'access' });

    // A year of business after the grant: the registry's reads are served by the type index, so their cost
    // does not grow with it (the plan of such a read is the SQLite store's spec).
    for (let i = 0; i < 50; i++)
      await sqlite.append(`order-${i}`, [fact('OrderPlaced', { i }), fact('OrderConfirmed', { i })], 'no_stream');
    await registry.refresh();
    await registry.refresh();
    await sqlite.append(
      'user-ann',
      [fact('AccessTokenRevoked', { userId: 'ann', tokenId: 't-1', revokedAt: meta.occurredAt, reason: 'revoked' })],
      0,
    );
    await registry.refresh();
    expect(registry.activeCredential('t-1')).toBeNull();

    const filters = reads.map((r) => r.filter as AllFilter);
    expect(filters.every((f) => f.eventTypes?.includes('AccessTokenIssued') && f.eventTypes.includes('AccessTokenRevoked'))).toBe(true);
    expect(filters.every((f) => f.streamPrefixes?.includes('user-') && f.streamPrefixes.includes(ADMIN_ACCESS_STREAM))).toBe(true);
    // A refresh reads only when an access fact was recorded since (one index seek per access type says so):
    // the two refreshes over the business read nothing; the revocation is read from the last access fact folded.
    expect(reads.map((r) => r.afterPosition)).toEqual([0, 1]);
    await registry.refresh();
    expect(reads).toHaveLength(2);
    await sqlite.append('user-bob', [grant('bob', 't-2', ['manager'])], 'no_stream');
    await registry.refresh();
    expect(reads.at(-1)!.afterPosition).toBe(102);
    expect(registry.rolesOf('bob')).toEqual(['manager']);
    await sqlite.close();
  });

  it('ignores an access fact recorded outside the access streams (a forged grant in a business stream gives no roles)', async () => {
    const sqlite = new SqliteEventStore(join(temp.path, `events-${uniqueSuffix()}.db`));
    const { store, reads } = watched(sqlite);
    const registry = new AccessRegistry(store);
    await sqlite.append('order-forged', [grant('mallory', 't-9', ['admin'])], 'no_stream');
    await registry.refresh();
    expect(registry.rolesOf('mallory')).toEqual([]);
    expect(registry.credential('t-9')).toBeNull();
    // Nor does it make every later refresh read the log again.
    await registry.refresh();
    expect(reads).toHaveLength(1);
    await sqlite.close();
  });
});
