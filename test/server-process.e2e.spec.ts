import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpClient } from './support/http';
import { ensureBuilt, REBUILD_MAIN, runNode, ServerProcess, startServer, API_MAIN } from './support/built-server';
import { acme } from './support/fixtures';

const ADMIN_TOKEN = 'process-e2e-admin-token-0123456789';

describe('The built server as its own process', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;

  beforeAll(() => ensureBuilt(), 180_000);
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'salesline-proc-'));
  });
  afterEach(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write across kill -9 and a restart', async () => {
    server = await startServer({ DATA_DIR: dataDir, ADMIN_TOKEN });
    const http = httpClient(server.baseUrl);
    const token = (await http.post('/api/auth/tokens', { userId: 'fiona', roles: ['finance', 'auditor'] }, ADMIN_TOKEN)).body.token;
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await http.post('/api/customers', { ...acme, name: `Customer ${i}` }, token, { 'x-correlation-id': `corr-${i}` });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const last = await http.post(`/api/customers/${ids[0]}/block`, { reason: 'overdue' }, token);
    expect(last.status).toBe(200);

    server.child.kill('SIGKILL');
    await server.exited;

    server = await startServer({ DATA_DIR: dataDir, ADMIN_TOKEN });
    const again = httpClient(server.baseUrl);
    // Tokens stay valid across restarts (the signing secret lives in DATA_DIR).
    for (const [i, id] of ids.entries()) {
      const stream = await again.get(`/api/streams/customer-${id}`, token);
      expect(stream.status).toBe(200);
      expect(stream.body.events[0].metadata).toMatchObject({ actor: 'fiona', correlationId: `corr-${i}` });
    }
    const blocked = await again.get(`/api/customers/${ids[0]}?minPosition=${last.body.position}`, token);
    expect(blocked.body.status).toBe('blocked');
    const list = await again.get(`/api/customers?limit=1000&minPosition=${last.body.position}`, token);
    expect(list.body.total).toBe(20);
  }, 60_000);

  it('generates the admin token on first start, prints it once, and keeps it in DATA_DIR', async () => {
    server = await startServer({ DATA_DIR: dataDir });
    const stored = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    expect(server.output()).toContain(stored);
    const http = httpClient(server.baseUrl);
    expect((await http.post('/api/auth/tokens', { userId: 'u1', roles: ['analyst'] }, stored)).status).toBe(201);
    // A graceful stop: Nest closes the stores, then re-raises SIGTERM.
    server.child.kill('SIGTERM');
    await server.exited;

    server = await startServer({ DATA_DIR: dataDir });
    expect(server.output()).not.toContain(stored);
    expect((await httpClient(server.baseUrl).get('/api/customers', stored)).status).toBe(200);
  }, 60_000);

  it('stops start-up on bad configuration with one clear line', async () => {
    const bad = await runNode(API_MAIN, [], { DATA_DIR: dataDir, EVENT_STORE: 'oracle' });
    expect(bad.status).toBe(1);
    expect(bad.output.trim()).toBe(
      'salesline: configuration error: EVENT_STORE=oracle is invalid: expected one of sqlite, postgres, eventstoredb',
    );
    const missingUrl = await runNode(API_MAIN, [], { DATA_DIR: dataDir, READ_STORE: 'mongodb' });
    expect(missingUrl.output.trim()).toBe('salesline: configuration error: MONGO_URL is required when READ_STORE=mongodb');
    expect((await runNode(API_MAIN, [], { DATA_DIR: dataDir, PORT: 'eighty' })).output.trim()).toBe(
      'salesline: configuration error: PORT=eighty is invalid: expected an integer from 0 to 65535',
    );
  });

  it('rebuilds a projection from position 0 while the API keeps serving', async () => {
    server = await startServer({ DATA_DIR: dataDir, ADMIN_TOKEN });
    const http = httpClient(server.baseUrl);
    let position = 0;
    for (let i = 0; i < 30; i++) position = (await http.post('/api/customers', { ...acme, name: `C${i}` }, ADMIN_TOKEN)).body.position;
    const before = await http.get(`/api/customers?limit=1000&minPosition=${position}`, ADMIN_TOKEN);

    const rebuilt = await runNode(REBUILD_MAIN, ['customers'], { DATA_DIR: dataDir, ADMIN_TOKEN });
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.output).toMatch(/rebuilt customers: 30 events up to position \d+/);

    // The API still answers, with the same documents, and keeps projecting new writes.
    const after = await http.get('/api/customers?limit=1000', ADMIN_TOKEN);
    expect(after.body.items).toEqual(before.body.items);
    const more = await http.post('/api/customers', { ...acme, name: 'After rebuild' }, ADMIN_TOKEN);
    const latest = await http.get(`/api/customers?limit=1000&minPosition=${more.body.position}`, ADMIN_TOKEN);
    expect(latest.body.total).toBe(31);

    expect((await runNode(REBUILD_MAIN, ['nope'], { DATA_DIR: dataDir })).status).toBe(2);
  }, 60_000);
});
