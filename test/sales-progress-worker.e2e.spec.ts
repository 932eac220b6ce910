import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEvent, READ_WORKER_NICE, SqliteEventStore } from '@salesline/core';
import { accountStream } from '@salesline/receivables';
import { invoicedOrderHistory } from '@salesline/sales/testing';
import { addDays } from '@salesline/shared-kernel';
import { ensureBuilt, ServerProcess, startServer } from './support/built-server';
import { httpClient } from './support/http';
import { ADMIN_TOKEN, startInProcessApp } from './support/in-process-app';

/**
 * The built API answers the sales-progress reports from a worker thread with its own connection to the read models
 * (issue 13: a heavy report must not block other requests). Its answers, refusals included, are those the same
 * data gives in process (the TypeScript sources under jest run the reports on the event loop).
 */
const meta = { actor: 'seed', correlationId: 'seed', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 };
const asNew = ({ type, data }: { type: string; data: Record<string, unknown> }): NewEvent => ({ type, data, metadata: meta });

/** 60 orders of two customers over 2026, a third split between two salespeople, invoiced and posted, most paid. */
const seed = async (dataDir: string) => {
  const store = new SqliteEventStore(join(dataDir, 'events.db'));
  const accounts: Record<string, NewEvent[]> = { c1: [], c2: [] };
  for (let i = 0; i < 60; i++) {
    const customerId = i % 2 === 0 ? 'c1' : 'c2';
    const history = invoicedOrderHistory({
      n: i,
      customerId,
      orderDate: addDays('2026-01-03', i * 5),
      quantity: 1 + (i % 4),
      unitPrice: 1_000 + i * 37,
      salesCredit:
        i % 3 === 0
          ? [
              { salespersonId: 'sp1', shareBp: 6_000 },
              { salespersonId: 'sp2', shareBp: 4_000 },
            ]
          : [{ salespersonId: i % 2 === 0 ? 'sp1' : 'sp2', shareBp: 10_000 }],
      deliveredAfter: 2,
      invoicedAfter: 4,
      paidAfter: i % 4 !== 0 ? 20 : null,
    });
    await store.append(`order-o${i}`, history.order.map(asNew), 'no_stream');
    accounts[customerId].push(...history.account.map(asNew));
  }
  for (const [customerId, events] of Object.entries(accounts)) await store.append(accountStream(customerId), events, 'no_stream');
  await store.close();
};

const REPORTS = [
  '/api/reports/sales-progress?period=2026&level=company&asOf=2026-11-30',
  '/api/reports/sales-progress?period=2026&level=salesperson&asOf=2026-11-30',
  '/api/reports/sales-progress?period=2026-05&level=salesperson&asOf=2026-11-30&basis=invoiced',
  '/api/reports/sales-progress/company/company?period=2026&asOf=2026-11-30&limit=7&offset=3',
  '/api/reports/sales-progress/salesperson/sp1?period=2026-Q2&asOf=2026-05-17',
  '/api/reports/sales-progress/company/company/unassigned?period=2026&asOf=2026-11-30',
  // Refusals: a node nobody knows (404) and a period that is none (400).
  '/api/reports/sales-progress/team/t-none?period=2026&asOf=2026-11-30',
  '/api/reports/sales-progress?period=2026-13&level=company',
];

/** The answer as written: its bytes and the headers that describe them (the worker serializes the JSON itself). */
const raw = async (baseUrl: string, path: string) => {
  const res = await fetch(`${baseUrl}${path}${path.includes('?') ? '&' : '?'}minPosition=1`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return { path, status: res.status, type: res.headers.get('content-type'), etag: res.headers.get('etag'), text: await res.text() };
};

describe('sales-progress reports in a worker thread (built API)', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;
  beforeAll(() => ensureBuilt());
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'salesline-report-worker-'));
  });
  afterEach(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every report, drill-down and refusal as the in-process query does', async () => {
    await seed(dataDir);
    const inProcess = await startInProcessApp({ DATA_DIR: dataDir });
    const expected: { status: number; body: unknown }[] = [];
    const expectedRaw: Awaited<ReturnType<typeof raw>>[] = [];
    try {
      for (const path of REPORTS) {
        const res = await inProcess.http.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=1`, ADMIN_TOKEN);
        expected.push({ status: res.status, body: res.body });
        expectedRaw.push(await raw(inProcess.baseUrl, path));
      }
    } finally {
      await inProcess.app.close(); // keep the data folder: the built server reads the same read models
    }
    expect(expected.map((e) => e.status)).toEqual([200, 200, 200, 200, 200, 200, 404, 400]);
    expect(JSON.stringify(expected[0].body)).toContain('"ordersBooked"');

    server = await startServer({ DATA_DIR: dataDir, ADMIN_TOKEN, LOG_LEVEL: 'info' });
    const http = httpClient(server.baseUrl);
    for (const [i, path] of REPORTS.entries()) {
      const res = await http.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=1`, ADMIN_TOKEN);
      expect({ path, status: res.status, body: res.body }).toEqual({ path, ...expected[i] });
      expect(await raw(server.baseUrl, path)).toEqual(expectedRaw[i]);
    }
    expect(expectedRaw[0].type).toBe('application/json; charset=utf-8');
    expect(server.output()).toContain('sales-progress reports run in a worker thread');
    // Linux: the worker runs below the request thread's CPU priority (ADR 0031), the request thread as it was started.
    const pid = server.child.pid;
    if (existsSync(`/proc/${pid}/task`) && getPriority() < READ_WORKER_NICE) {
      const niceOf = (tid: string) => Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
      const threads = readdirSync(`/proc/${pid}/task`).map((tid) => ({ tid, nice: niceOf(tid) }));
      expect(threads.find((t) => t.tid === String(pid))?.nice).toBe(getPriority());
      expect(threads.filter((t) => t.nice === READ_WORKER_NICE)).toHaveLength(1);
    }
  });
});
