import { Client } from 'pg';
import { describeOrSkip } from '../../testing/contract-suite';
import { createTestDatabase, postgresGate, TestDatabase } from '../../testing/external-stores';
import { describeReadStoreContract } from '../read-store.contract';
import { PostgresReadStore } from './postgres-read-store';

// A database of its own for this file, on POSTGRES_URL or the local server; skipped (with the reason) without one.
const gate = postgresGate();
let database: TestDatabase | undefined;

if (gate.enabled) {
  beforeAll(async () => {
    database = await createTestDatabase();
  }, 30_000);
  afterAll(async () => {
    await database?.drop();
  }, 30_000);
}
const skipReason = gate.enabled ? undefined : gate.reason;

describeReadStoreContract('PostgreSQL read store', () => PostgresReadStore.connect(database!.url), skipReason);

describeOrSkip('PostgreSQL read store specifics', skipReason, () => {
  let store: PostgresReadStore;
  beforeAll(async () => {
    store = await PostgresReadStore.connect(database!.url);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('stores documents as JSONB, with an expression index per IndexSpec that the planner uses', async () => {
    await store.ensureIndexes('indexed', [{ fields: ['territory'] }, { fields: ['address.city', 'tier'] }]);
    const changes = Array.from({ length: 2_000 }, (_, i) => ({
      op: 'upsert' as const,
      id: `c${i}`,
      doc: { id: `c${i}`, territory: `t${i % 50}`, address: { city: `city${i % 40}` }, tier: i % 3, _position: i + 1 },
    }));
    expect(await store.applyBatch({ projection: 'indexed', collection: 'indexed', changes, expected: 0, next: 2_000 })).toBe('applied');
    const client = new Client({ connectionString: database!.url });
    await client.connect();
    try {
      await client.query('ANALYZE rm_indexed');
      const { rows: columns } = await client.query(
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'rm_indexed' AND column_name = 'doc'",
      );
      expect(columns).toEqual([{ data_type: 'jsonb' }]);
      const plan = async (sql: string) =>
        (await client.query(`EXPLAIN ${sql}`)).rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      expect(await plan(`SELECT doc FROM rm_indexed WHERE (doc #> '{territory}') = '"t7"'::jsonb`)).toMatch(/Index|Bitmap/);
      expect(await plan(`SELECT doc FROM rm_indexed WHERE (doc #> '{address,city}') = '"city3"'::jsonb`)).toMatch(/Index|Bitmap/);
    } finally {
      await client.end();
    }
    expect(await store.count('indexed', { territory: 't7' })).toBe(40);
  });

  it('keeps a projection going when a document holds U+0000, which jsonb cannot store', async () => {
    const doc = { id: 'odd', name: 'a\u0000b', escaped: 'a\\u0000b', _position: 1 };
    expect(
      await store.applyBatch({ projection: 'odd', collection: 'odd', changes: [{ op: 'upsert', id: 'odd', doc }], expected: 0, next: 1 }),
    ).toBe('applied');
    expect(await store.get('odd', 'odd')).toEqual({ ...doc, name: 'a\ufffdb' });
  });
});
