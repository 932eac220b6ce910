import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpClient } from './support/http';
import { ensureBuilt, ROOT, runNode, ServerProcess, startServer } from './support/built-server';

const ADMIN_TOKEN = 'kill-e2e-admin-token-0123456789';
const VERIFY_MAIN = join(ROOT, 'dist/apps/projector/src/verify.js');
const CYCLES = 3;
const WORKERS = 6;
const acme = { customerGroup: 'wholesale', territory: 'north', ownerId: 'sp-anna', creditLimit: 0, paymentTermsDays: 30 };

/**
 * kill -9 under write load, several times: afterwards every acknowledged (2xx) write is in the
 * log, no refused one is, nothing else is, and projections:verify finds no difference.
 */
describe('SIGKILL under write load', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;
  beforeAll(() => ensureBuilt(), 240_000);
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'salesline-kill-'));
  });
  afterEach(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps exactly the acknowledged writes across three kill -9 cycles, and verify agrees with the read models', async () => {
    const env = { DATA_DIR: dataDir, ADMIN_TOKEN, RATE_LIMIT: 'off', LOG_LEVEL: 'error' };
    const acknowledged = new Set<string>();
    const refused = new Set<string>();
    const sent = new Set<string>();
    let token = '';
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      server = await startServer(env);
      const http = httpClient(server.baseUrl);
      if (!token) token = (await http.post('/api/auth/tokens', { userId: 'fiona', roles: ['finance'] }, ADMIN_TOKEN)).body.token;
      let stop = false;
      const worker = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const correlationId = `c${cycle}-w${w}-${i}`;
          const bad = i % 4 === 3; // every fourth request must be refused (blank name)
          sent.add(correlationId);
          try {
            const res = await http.post('/api/customers', { ...acme, name: bad ? '   ' : `Customer ${correlationId}` }, token, {
              'x-correlation-id': correlationId,
            });
            if (res.status === 201) acknowledged.add(correlationId);
            else if (res.status >= 400 && res.status < 500) refused.add(correlationId);
          } catch {
            return; // the server died under this request: its outcome is unknown
          }
        }
      };
      const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      await new Promise((r) => setTimeout(r, 1500 + cycle * 500));
      server.child.kill('SIGKILL');
      await server.exited;
      stop = true;
      await load;
    }
    expect(acknowledged.size).toBeGreaterThan(10);
    expect(refused.size).toBeGreaterThan(2);

    const db = new Database(join(dataDir, 'events.db'), { readonly: true });
    const rows = db.prepare("SELECT correlation_id AS id, type FROM events WHERE stream_name LIKE 'customer-%'").all() as {
      id: string;
      type: string;
    }[];
    db.close();
    const logged = new Set(rows.map((r) => r.id));
    expect([...acknowledged].filter((id) => !logged.has(id))).toEqual([]);
    expect([...refused].filter((id) => logged.has(id))).toEqual([]);
    expect([...logged].filter((id) => !sent.has(id))).toEqual([]);
    expect(rows.every((r) => r.type === 'CustomerRegistered')).toBe(true);

    // Restart once so the projections catch up from their checkpoints, then verify with the server stopped.
    server = await startServer(env);
    const http = httpClient(server.baseUrl);
    const head = rows.length;
    const list = await http.get(`/api/customers?limit=1000&minPosition=1`, token);
    expect(list.status).toBe(200);
    for (let i = 0; i < 100 && (await http.get('/api/customers?limit=1', token)).body.total < head; i++)
      await new Promise((r) => setTimeout(r, 50));
    server.child.kill('SIGKILL');
    await server.exited;
    const verify = await runNode(VERIFY_MAIN, [], env);
    expect(verify.output).toContain('every read model matches its rebuild');
    expect(verify.status).toBe(0);
  }, 120_000);
});
