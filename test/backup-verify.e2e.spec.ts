import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  backupDataDir,
  EVENT_STORE,
  EventStore,
  READ_STORE,
  ReadStore,
  restoreDataDir,
  SqliteReadStore,
  verifyProjections,
} from '@salesline/core';
import { allProjections } from '@salesline/composition';
import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { acme } from './support/fixtures';

/** projections:verify finds what differs, and a backup taken under writes restores into a working server. */
describe('Verify, backup and restore', () => {
  let app: RunningApp;
  let restored: RunningApp | undefined;
  const folders: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'salesline-backup-'));
    folders.push(dir);
    return dir;
  };
  const verify = async (running: RunningApp) => {
    const scratch = new SqliteReadStore(join(folder(), 'scratch.db'));
    try {
      return await verifyProjections(
        running.app.get<EventStore>(EVENT_STORE),
        running.app.get<ReadStore>(READ_STORE),
        scratch,
        allProjections,
      );
    } finally {
      await scratch.close();
    }
  };
  const differencesOf = async (running: RunningApp) => (await verify(running)).flatMap((r) => r.differences);
  let finance: string;

  beforeAll(async () => {
    app = await startInProcessApp();
    finance = await tokenFor(app.http, 'fiona', 'finance');
    const manager = await tokenFor(app.http, 'mona', 'sales_manager');
    const product = (
      await app.http.post('/api/products', { sku: 'B-1', name: 'Widget', unit: 'pcs', listPrice: 10_00, standardCost: 6_00 }, manager)
    ).body.id;
    for (let i = 0; i < 8; i++) {
      const customer = (await app.http.post('/api/customers', { ...acme, name: `Customer ${i}` }, finance)).body.id;
      expect(
        (
          await app.http.post(
            '/api/orders',
            { customerId: customer, salespersonId: 'sp-anna', lines: [{ productId: product, quantity: 2 + i }] },
            manager,
          )
        ).status,
      ).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await restored?.close();
    await app?.close();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('finds no difference between the live read models and their rebuild', async () => {
    const reports = await verify(app);
    expect(reports.map((r) => r.projection).sort()).toEqual(allProjections.map((p) => p.name).sort());
    expect(reports.flatMap((r) => r.differences)).toEqual([]);
    expect(reports.find((r) => r.projection === 'customers')!.documents).toBe(8);
  });

  it("prints each difference after an SQL edit behind the system's back", async () => {
    const db = new Database(join(app.dataDir, 'read-models.db'));
    const row = db.prepare('SELECT id, doc FROM rm_customers LIMIT 1').get() as { id: string; doc: string };
    db.prepare('UPDATE rm_customers SET doc = ? WHERE id = ?').run(JSON.stringify({ ...JSON.parse(row.doc), creditLimit: 1 }), row.id);
    db.prepare('INSERT INTO rm_customers (id, doc, position) VALUES (\'ghost\', \'{"id":"ghost","_position":1}\', 1)').run();
    db.close();
    const differences = await differencesOf(app);
    expect(differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          projection: 'customers',
          id: row.id,
          kind: 'different',
          detail: expect.stringContaining('creditLimit: live 1'),
        }),
        expect.objectContaining({ projection: 'customers', id: 'ghost', kind: 'unexpected' }),
      ]),
    );
    // Put the read model back by rebuilding it from the log.
    const fix = new Database(join(app.dataDir, 'read-models.db'));
    fix.prepare('UPDATE rm_customers SET doc = ? WHERE id = ?').run(row.doc, row.id);
    fix.prepare("DELETE FROM rm_customers WHERE id = 'ghost'").run();
    fix.close();
    expect(await differencesOf(app)).toEqual([]);
  });

  it('backs up while writes go on, restores into a new folder, and the restored server answers the same', async () => {
    const target = join(folder(), 'backup');
    const writes = Promise.all(
      Array.from({ length: 10 }, (_, i) => app.http.post('/api/customers', { ...acme, name: `During ${i}` }, finance)),
    );
    const manifest = await backupDataDir(app.dataDir, target);
    await writes;
    expect(manifest.files).toEqual(expect.arrayContaining(['events.db', 'read-models.db', 'token-secret']));
    const dataDir = join(folder(), 'restored');
    restoreDataDir(target, dataDir);
    expect(() => restoreDataDir(target, dataDir)).toThrow(/exists/);
    restored = await startInProcessApp({ DATA_DIR: dataDir });
    const events = restored.app.get<EventStore>(EVENT_STORE);
    expect(await events.headPosition()).toBe(manifest.headPosition);
    // Every event of the backup is the original's, in order.
    const original = await app.app.get<EventStore>(EVENT_STORE).readAll({ maxCount: manifest.headPosition });
    expect(await events.readAll({ maxCount: manifest.headPosition })).toEqual(original);
    // Tokens issued before the backup still work on the restored server, and the read models agree.
    const list = await restored.http.get(`/api/customers?limit=1000&minPosition=${manifest.headPosition}`, finance);
    expect(list.status).toBe(200);
    const ids = new Set(original.filter((e) => e.type === 'CustomerRegistered').map((e) => e.streamName.replace(/^customer-/, '')));
    expect(new Set(list.body.items.map((c: { id: string }) => c.id))).toEqual(ids);
    expect(await differencesOf(restored)).toEqual([]);
    expect((await restored.http.get('/api/customers', ADMIN_TOKEN)).status).toBe(200);
  }, 60_000);
});
