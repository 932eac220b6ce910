import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { describeOrSkip } from '@salesline/core/testing';
import { createTestDatabase, postgresGate, TestDatabase } from '@salesline/core/testing/external-stores';
import { ensureBuilt, ROOT } from './support/built-server';
import { RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { acme } from './support/fixtures';

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

const pg = postgresGate();
describeOrSkip('on PostgreSQL: GET /api/audit/verify and npm run audit:verify / audit:anchor', pg.enabled ? undefined : pg.reason, () => {
  let database: TestDatabase;
  let running: RunningApp;
  let auditor: string;
  let finance: string;
  const anchorDir = mkdtempSync(join(tmpdir(), 'salesline-anchor-'));
  const env = () => ({ EVENT_STORE: 'postgres', POSTGRES_URL: database.url, AUDIT_ANCHOR_KEY: 'anchor-key-for-the-test' });
  /** The built CLI, the way `npm run audit:verify` / `audit:anchor` runs it. */
  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(ROOT, 'dist/apps/projector/src/audit.js'), ...args],
        { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env() } },
        (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    ensureBuilt();
    database = await createTestDatabase();
    running = await startInProcessApp(env());
    auditor = await tokenFor(running.http, 'audrey', 'auditor');
    finance = await tokenFor(running.http, 'fiona', 'finance');
  }, 600_000);
  afterAll(async () => {
    await running?.close();
    await database?.drop();
    rmSync(anchorDir, { recursive: true, force: true });
  });

  it('verifies the chain over HTTP and from the command line, anchors the head, and names an event edited behind the server', async () => {
    const first = await running.http.post('/api/customers', acme, finance);
    expect(first.status).toBe(201);
    await running.http.post('/api/customers', { ...acme, name: 'Beta' }, finance);
    const sound = await running.http.get('/api/audit/verify', auditor);
    expect(sound.body).toMatchObject({ ok: true, head: { position: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(sound.body.checked).toBe(sound.body.head.position);

    const anchorFile = join(anchorDir, 'anchor.json');
    const anchored = await cli('anchor', '--out', anchorFile);
    expect(anchored.code).toBe(0);
    const anchor = JSON.parse(readFileSync(anchorFile, 'utf8'));
    expect(anchor).toMatchObject({
      position: sound.body.head.position,
      hash: sound.body.head.hash,
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await cli('verify', '--anchor', anchorFile)).toMatchObject({
      code: 0,
      stderr: expect.stringMatching(/events verified.*anchor matches/),
    });

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('ALTER TABLE events DISABLE TRIGGER USER');
      await client.query(`UPDATE events SET data = replace(data::text, '500000', '9000000')::json WHERE position = $1`, [
        first.body.position,
      ]);
    } finally {
      await client.end();
    }
    const named = { problem: 'content_altered', position: first.body.position, streamName: `customer-${first.body.id}`, revision: 0 };
    expect((await running.http.get('/api/audit/verify', auditor)).body).toMatchObject({ ok: false, firstMismatch: named });
    const forged = await cli('verify', '--anchor', anchorFile);
    expect(forged.code).toBe(1);
    expect(JSON.parse(forged.stdout)).toMatchObject({ ok: false, firstMismatch: named });
    expect(forged.stderr).toContain(`content_altered at position ${first.body.position} (customer-${first.body.id} revision 0`);
  });
});
