import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, NewEvent, processManagerCheckpoint, rebuildProjections, SqliteEventStore, SqliteReadStore } from '@salesline/core';
import { createApp } from '@salesline/api/create-app';
import { allProjections } from '@salesline/composition';
import { accountStream } from '@salesline/receivables';
import { invoicedOrderHistory } from '@salesline/sales/testing';
import { addDays } from '@salesline/shared-kernel';
import { registered } from './large-log';
import { cannon } from './cannon';
import { fmt, median, ratio, record, rows } from './report';

/**
 * `npm run bench:reports` (issue 13 item 5): every report and list, p50 of sequential requests, on a history of 1k
 * and of 50k orders (each delivered, invoiced and mostly paid, over two years, credited to 25 salespeople, a fifth
 * of them split, and no organization kept: the case whose company row used to answer 17 MB). Goal: < 50 ms at 50k
 * and within 2× of 1k. Writes its section of docs/benchmarks.md (between the `reports` markers).
 */
const ADMIN = 'bench-admin-token-0123456789abcdef';
const headers = { authorization: `Bearer ${ADMIN}` };
const meta = { actor: 'seed', correlationId: 'seed', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 };
const SIZES = (process.env.BENCH_REPORT_SIZES ?? '1000,50000').split(',').map(Number);
const CUSTOMERS = 50;
const ASOF = '2026-11-30';

const asNew = ({ type, data }: { type: string; data: Record<string, unknown> }): NewEvent => ({ type, data, metadata: meta });

/** Orders over 2025–2026: placed, delivered 3 days later, invoiced after 5 (posted to the account), 9 in 10 paid after 25. */
const writeOrders = async (dataDir: string, n: number): Promise<void> => {
  const store = new SqliteEventStore(join(dataDir, 'events.db'));
  try {
    for (let c = 0; c < CUSTOMERS; c++) await store.append(`customer-c${c}`, [registered(c)], 'no_stream');
    const accounts: NewEvent[][] = Array.from({ length: CUSTOMERS }, () => []);
    // Orders appended 128 at a time in flight: group commit writes them in few transactions.
    let inFlight: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      if (inFlight.length >= 128) {
        await Promise.all(inFlight);
        inFlight = [];
      }
      const history = invoicedOrderHistory({
        n: i,
        customerId: `c${i % CUSTOMERS}`,
        orderDate: addDays('2025-01-01', Math.floor((i * 725) / n)),
        quantity: 1 + (i % 5),
        unitPrice: 1_000 + ((i * 37) % 4_000),
        salesCredit:
          i % 5 === 0
            ? [
                { salespersonId: `sp${i % 25}`, shareBp: 6_000 },
                { salespersonId: `sp${(i + 7) % 25}`, shareBp: 4_000 },
              ]
            : [{ salespersonId: `sp${i % 25}`, shareBp: 10_000 }],
        deliveredAfter: 3,
        invoicedAfter: 5,
        paidAfter: i % 10 !== 0 ? 25 : null,
      });
      inFlight.push(store.append(`order-o${i}`, history.order.map(asNew), 'no_stream'));
      accounts[i % CUSTOMERS].push(...history.account.map(asNew));
    }
    await Promise.all(inFlight);
    for (let c = 0; c < CUSTOMERS; c++)
      for (let from = 0; from < accounts[c].length; from += 1000)
        await store.append(accountStream(`c${c}`), accounts[c].slice(from, from + 1000), from === 0 ? 'no_stream' : from - 1);
  } finally {
    await store.close();
  }
};

const REQUESTS: [string, string][] = [
  ['sales-progress, year, company', `/api/reports/sales-progress?period=2026&level=company&asOf=${ASOF}`],
  ['sales-progress, year, salesperson', `/api/reports/sales-progress?period=2026&level=salesperson&asOf=${ASOF}`],
  ['sales-progress, month, salesperson', `/api/reports/sales-progress?period=2026-11&level=salesperson&asOf=${ASOF}`],
  ['sales-progress, quarter, company, CSV', `/api/reports/sales-progress?period=2026-Q3&level=company&asOf=${ASOF}`],
  ['drill-down company, year (documents paged)', `/api/reports/sales-progress/company/company?period=2026&asOf=${ASOF}`],
  ['drill-down salesperson, month', `/api/reports/sales-progress/salesperson/sp3?period=2026-11&asOf=${ASOF}`],
  ['unassigned child of the company, month', `/api/reports/sales-progress/company/company/unassigned?period=2026-11&asOf=${ASOF}`],
  ['receivables?asOf=', `/api/receivables?asOf=${ASOF}`],
  ['orders list (page of 100)', `/api/orders?limit=100`],
  ['customers list (page of 100)', `/api/customers?limit=100`],
];

type Measured = { p50: number; bytes: number; status: number };
/** A light read's p99 alone and while year reports run beside it (issue 13 item 3: a heavy report must not block). */
type Blocking = { quiet: number; busy: number; reports: number };

const measure = async (dataDir: string, label: string): Promise<{ answers: Map<string, Measured>; blocking: Blocking }> => {
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'silent' }));
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const out = new Map<string, Measured>();
  try {
    // One pass over every request first: the server's code is compiled and its caches warm before any is timed.
    for (const [what, path] of REQUESTS)
      await (
        await fetch(`${base}${path}`, { headers: { ...headers, accept: what.endsWith('CSV') ? 'text/csv' : 'application/json' } })
      ).arrayBuffer();
    for (const [what, path] of REQUESTS) {
      const times: number[] = [];
      let bytes = 0;
      let status = 0;
      const accept = what.endsWith('CSV') ? 'text/csv' : 'application/json';
      for (let i = 0; i < 6; i++) {
        const t = performance.now();
        const res = await fetch(`${base}${path}`, { headers: { ...headers, accept } });
        const body = await res.arrayBuffer();
        if (i > 0) times.push(performance.now() - t); // the first warms the caches
        bytes = body.byteLength;
        status = res.status;
        if (i > 1 && median(times) > 3_000) break; // a list that takes seconds: two timings are enough
      }
      out.set(what, { p50: median(times), bytes, status });
    }
    const light = '/api/customers/c0';
    const get = (path: string, connections: number, cpuProfile?: string) =>
      cannon(base, { seconds: 3, connections, headers, requests: [{ method: 'GET', path }], cpuProfile });
    const quiet = await get(light, 8);
    // BENCH_REPORT_PROFILE=<folder>: a CPU profile of the request thread while the reports run beside the light read.
    const profile = process.env.BENCH_REPORT_PROFILE
      ? join(process.env.BENCH_REPORT_PROFILE, `reports-beside-light-${label}.cpuprofile`)
      : undefined;
    const [busy, reports] = await Promise.all([get(light, 8, profile), get(REQUESTS[0][1], 4)]);
    return { answers: out, blocking: { quiet: quiet.p99, busy: busy.p99, reports: reports.rps } };
  } finally {
    await app.close();
  }
};

const prepare = async (n: number): Promise<string> => {
  const dataDir = mkdtempSync(join(tmpdir(), `salesline-bench-reports-${n}-`));
  const t = performance.now();
  await writeOrders(dataDir, n);
  // Read models built offline (as `projections:rebuild -- all` does); the process managers start at the head, so the
  // seeded orders are not posted to the accounts a second time.
  const events = new SqliteEventStore(join(dataDir, 'events.db'));
  const reads = new SqliteReadStore(join(dataDir, 'read-models.db'));
  await rebuildProjections(events, reads, allProjections);
  const head = await events.headPosition();
  for (const name of ['order-account-sync', 'discipline-policy-runner', 'improvement-plan-follow-up', 'dismissal-follow-up'])
    await reads.setCheckpoint(processManagerCheckpoint({ name }), head);
  await events.close();
  await reads.close();
  console.log(`${fmt(n)} orders: ${fmt(head)} events written and projected in ${fmt((performance.now() - t) / 1000, 1)} s`);
  return dataDir;
};

const git = (cmd: string) => {
  try {
    return execSync(`git ${cmd}`, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
};

const BEGIN = '<!-- reports:begin (bench/reports.ts) -->';
const END = '<!-- reports:end -->';

/** Replaces (or appends) the reports section of docs/benchmarks.md, leaving the rest as `npm run bench` wrote it. */
const writeSection = (small: number, large: number) => {
  const file = join(__dirname, '..', '..', 'docs', 'benchmarks.md');
  const commit = `${git('rev-parse --short HEAD')}${git('status --porcelain') ? ' (with uncommitted changes)' : ''}`;
  const section = `${BEGIN}
## reports

Written by \`npm run bench:reports\` (bench/reports.ts) on ${new Date().toISOString().slice(0, 10)}, commit ${commit},
${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, load average ${fmt(loadavg()[0], 2)} (shared machine)${
    loadavg()[0] > 4 ? ': loaded (above 4 on this machine), so absolute times are inflated and single figures noisy; compare ratios' : ''
  }.
History: ${fmt(small)} and ${fmt(large)} orders (each delivered, invoiced and posted, 9 in 10 paid), 25 salespeople, 50 customers,
no organization. p50 of 5 sequential requests after a warm-up pass over all of them and one more of each (2 when they take seconds);
the sales-progress report reads monthly rollups by credit month (ADR 0025, 0028) in a worker thread (ADR 0030), the receivables list dated balances (ADR 0028),
the orders list its totals from rollups (ADR 0029).
The last row: a light read's p99 (8 connections) while 4 connections ask for the year's company report, against the same read alone.

| what | p50 at ${fmt(large)} orders | p50 at ${fmt(small)} orders (reference) | ratio | answer at ${fmt(large)} | goal |
|---|---:|---:|---:|---:|---|
${rows
  .filter((r) => r.section === 'reports')
  .map((r) => `| ${r.what} | ${r.value} | ${r.reference} | ${r.ratio} | ${r.goal.split(';')[1]?.trim() ?? ''} | ${r.goal.split(';')[0]} |`)
  .join('\n')}
${END}`;
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = before.indexOf(BEGIN);
  const end = before.indexOf(END);
  const text =
    start >= 0 && end > start ? before.slice(0, start) + section + before.slice(end + END.length) : `${before.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, text);
  return file;
};

async function main() {
  const [small, large] = SIZES;
  const dirs: string[] = [];
  try {
    const smallDir = await prepare(small);
    dirs.push(smallDir);
    const atSmall = await measure(smallDir, String(small));
    const largeDir = await prepare(large);
    dirs.push(largeDir);
    const atLarge = await measure(largeDir, String(large));
    for (const [what] of REQUESTS) {
      const s = atSmall.answers.get(what)!;
      const l = atLarge.answers.get(what)!;
      const met = l.p50 < 50 && l.p50 <= 2 * s.p50 ? 'met' : 'NOT met';
      record({
        section: 'reports',
        what: `${what}${l.status !== 200 ? ` (HTTP ${l.status})` : ''}`,
        value: `${fmt(l.p50, 1)} ms`,
        reference: `${fmt(s.p50, 1)} ms`,
        ratio: ratio(l.p50, s.p50),
        goal: `< 50 ms, ≤ 2×: ${met}; ${fmt(l.bytes / 1024, 1)} KB`,
      });
    }
    const { quiet, busy, reports } = atLarge.blocking;
    record({
      section: 'reports',
      what: `GET /api/customers/{id} p99 while year reports run (8 + 4 conn, ${fmt(reports, 1)} reports/s)`,
      value: `${fmt(busy, 1)} ms`,
      reference: `${fmt(atSmall.blocking.busy, 1)} ms (alone at ${fmt(large)}: ${fmt(quiet, 1)} ms)`,
      ratio: ratio(busy, quiet),
      goal: `not blocked (≤ 2× alone): ${busy <= 2 * Math.max(quiet, 1) ? 'met' : 'NOT met'}; -`,
    });
    if (!process.env.BENCH_REPORT_SIZES) console.log(`written: ${writeSection(small, large)}`);
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
