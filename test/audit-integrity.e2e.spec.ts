import Database from 'better-sqlite3';
import { join } from 'node:path';
import { RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

const acme = {
  name: 'Acme GmbH',
  customerGroup: 'wholesale',
  territory: 'north',
  ownerId: 'sp-anna',
  creditLimit: 500_000,
  paymentTermsDays: 30,
};

describe('GET /api/audit/verify: a log that shows it was not rewritten', () => {
  let running: RunningApp;
  let auditor: string;
  let finance: string;

  beforeAll(async () => {
    running = await startInProcessApp();
    auditor = await tokenFor(running.http, 'audrey', 'auditor');
    finance = await tokenFor(running.http, 'fiona', 'finance');
  }, 60_000);
  afterAll(() => running.close());

  it('publishes the event catalog at /asyncapi.json without a token', async () => {
    const res = await running.http.get('/asyncapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ asyncapi: '3.0.0', channels: { order: { address: 'order-{id}' } } });
    expect(Object.keys(res.body.components.messages)).toEqual(expect.arrayContaining(['OrderPlaced', 'AuditViewRead', 'WebhookParked']));
  });

  it('verifies the chain, catches an edit made behind the server, and a rewritten tail against the anchor', async () => {
    const first = await running.http.post('/api/customers', acme, finance);
    await running.http.post('/api/customers', { ...acme, name: 'Beta' }, finance);
    const sound = await running.http.get('/api/audit/verify', auditor);
    expect(sound.status).toBe(200);
    expect(sound.body).toMatchObject({ ok: true, head: { position: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const anchor = sound.body.head;

    expect((await running.http.get('/api/audit/verify', finance)).status).toBe(403);
    expect((await running.http.get('/api/audit/verify?anchorPosition=1', auditor)).status).toBe(400);
    expect(
      (await running.http.get(`/api/audit/verify?anchorPosition=${anchor.position}&anchorHash=${anchor.hash}`, auditor)).body,
    ).toMatchObject({ ok: true });

    const db = new Database(join(running.dataDir, 'events.db'));
    try {
      for (const { name } of db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'").all())
        db.exec(`DROP TRIGGER ${name}`);
      db.prepare(`UPDATE events SET data = replace(data, '500000', '9000000') WHERE position = ?`).run(first.body.position);
    } finally {
      db.close();
    }
    const forged = await running.http.get('/api/audit/verify', auditor);
    expect(forged.body).toMatchObject({
      ok: false,
      firstMismatch: { problem: 'content_altered', position: first.body.position, streamName: `customer-${first.body.id}`, revision: 0 },
    });
    const againstAnchor = await running.http.get(
      `/api/audit/verify?anchorPosition=${anchor.position}&anchorHash=${'0'.repeat(64)}`,
      auditor,
    );
    expect(againstAnchor.body).toMatchObject({ ok: false });
  });
});
