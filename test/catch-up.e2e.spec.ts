import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpClient } from './support/http';
import { ensureBuilt, ServerProcess, startServer } from './support/built-server';
import { writeLargeLog } from '../bench/large-log';

const ADMIN_TOKEN = 'catch-up-e2e-admin-token-0123456789';
const EVENTS = 200_000;

/** A memory line of a process (Linux), in MB: VmRSS now, VmHWM the peak so far. */
const memoryMb = (pid: number, field: 'VmRSS' | 'VmHWM'): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
};
/**
 * Flat means the catch-up does not hold the log: a leak of even 1 KB per event would add ~200 MB over 200k events.
 * The bound is on growth over the resident size once listening, not on an absolute size, which moves with V8's
 * heap sizing and the machine's load (CI once read 304 MB against an absolute 300 MB).
 */
const MAX_GROWTH_MB = 120;
/** The goal for the whole process during catch-up. */
const MAX_PEAK_MB = 300;

describe('Start-up on a long log with empty read models', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;

  beforeAll(() => ensureBuilt(), 180_000);
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'salesline-catch-up-'));
  });
  afterEach(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens and answers /health with the catch-up lag while the projections catch up, reads wait for their position, and memory stays flat', async () => {
    const head = await writeLargeLog(dataDir, EVENTS);
    expect(head).toBe(EVENTS);
    server = await startServer({ DATA_DIR: dataDir, ADMIN_TOKEN });
    const http = httpClient(server.baseUrl);

    const first = await http.get('/health');
    const listeningRssMb = memoryMb(server.child.pid!, 'VmRSS');
    expect(first.status).toBe(200);
    expect(first.body.info.projections).toMatchObject({ status: 'up', catchingUp: true, head: EVENTS });
    expect(first.body.info.projections.lag).toBeGreaterThan(0);

    // Other requests are served during the catch-up, and a read names the position it needs.
    const token = (await http.post('/api/auth/tokens', { userId: 'fiona', roles: ['finance'] }, ADMIN_TOKEN)).body.token;
    const created = await http.post(
      '/api/customers',
      { name: 'Late Ltd', customerGroup: 'g', territory: 't', ownerId: 'sp', creditLimit: 1000, paymentTermsDays: 30 },
      token,
    );
    expect(created.status).toBe(201);
    expect(created.body.position).toBeGreaterThan(EVENTS);

    let lag = first.body.info.projections.lag as number;
    for (let i = 0; i < 600 && lag > 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const health = await http.get('/health');
      expect(health.status).toBe(200);
      lag = health.body.info.projections.lag;
    }
    expect(lag).toBe(0);
    const read = await http.get(`/api/customers/${created.body.id}?minPosition=${created.body.position}`, token);
    expect(read.body).toMatchObject({ name: 'Late Ltd' });
    const seeded = await http.get('/api/customers/seed-7', token);
    expect(seeded.body).toMatchObject({ creditLimit: 100_099 });
    const peakMb = memoryMb(server.child.pid!, 'VmHWM');
    expect(peakMb - listeningRssMb).toBeLessThan(MAX_GROWTH_MB);
    expect(peakMb).toBeLessThan(MAX_PEAK_MB);
  }, 240_000);
});
