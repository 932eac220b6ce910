import 'reflect-metadata';
import Database from 'better-sqlite3';
import { execSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadStream, SqliteEventStore } from '@salesline/core';
import { accountDecider, accountStream } from '@salesline/receivables';
import { runHttpBenchmarks, runOrderCurve, runStartUp } from './http';
import { registered, seedAccount, writeLargeLog } from './large-log';
import { fmt, median, ratio, record, rows, timeIt } from './report';
import { writeBenchmarksDoc } from './write-doc';

/**
 * `npm run bench`: every figure of issue 13 with its reference measured in the same run — raw
 * better-sqlite3 (the limit), Emmett + emmett-sqlite 0.38.5 (the peer), a bare NestJS endpoint
 * (the framework ceiling) — printed as ratios, and written to docs/benchmarks.md. Durability is
 * what users run: WAL with synchronous=FULL. A few minutes; BENCH_QUICK=1 for a smoke run.
 */
const QUICK = process.env.BENCH_QUICK === '1';
/** BENCH_ONLY=appends,account,rebuild,http,orders,start: run some sections only (docs/benchmarks.md is then not written). */
const ONLY = process.env.BENCH_ONLY?.split(',');
const wanted = (section: string) => !ONLY || ONLY.includes(section);
async function appends(dir: string) {
  const n = QUICK ? 300 : 2000;
  // Raw better-sqlite3: one fsynced transaction per inserted row, same pragmas, same row shape.
  const raw = new Database(join(dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec(
    'CREATE TABLE events (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, stream_name TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, UNIQUE (stream_name, revision))',
  );
  const insert = raw.prepare('INSERT INTO events (position, id, stream_name, revision, type, data, metadata) VALUES (?, ?, ?, 0, ?, ?, ?)');
  const one = raw.transaction((i: number) =>
    insert.run(
      i + 1,
      `id-${i}`,
      `customer-c${i}`,
      'CustomerRegistered',
      JSON.stringify(registered(i).data),
      JSON.stringify(registered(i).metadata),
    ),
  );
  const rawMs = await timeIt(() => {
    for (let i = 0; i < n; i++) one.immediate(i);
  });
  raw.close();
  const rawRate = (n / rawMs) * 1000;
  record({
    section: 'appends',
    what: 'raw better-sqlite3: 1 row per fsynced transaction',
    value: `${fmt(rawRate)}/s`,
    reference: '(the limit)',
    ratio: '1.00×',
    goal: '',
  });

  const store = new SqliteEventStore(join(dir, 'events.db'));
  const singleMs = await timeIt(async () => {
    for (let i = 0; i < n; i++) await store.append(`customer-c${i}`, [registered(i)], 'no_stream');
  });
  const singleRate = (n / singleMs) * 1000;
  record({
    section: 'appends',
    what: 'Salesline: single appends, one after the other',
    value: `${fmt(singleRate)}/s`,
    reference: `raw ${fmt(rawRate)}/s`,
    ratio: ratio(singleRate, rawRate),
    goal: '≥ 0.90×',
  });

  let batches = 0;
  const off = store.onCommit(() => batches++);
  const concurrent = n * 2;
  const concurrentMs = await timeIt(async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < concurrent) {
          const i = n + next++;
          await store.append(`customer-c${i}`, [registered(i)], 'no_stream');
        }
      }),
    );
  });
  off();
  const concurrentRate = (concurrent / concurrentMs) * 1000;
  record({
    section: 'appends',
    what: `Salesline: 64 appends in flight (group commit, ${fmt(concurrent / batches, 1)} per fsync)`,
    value: `${fmt(concurrentRate)}/s`,
    reference: `raw ${fmt(rawRate)}/s`,
    ratio: ratio(concurrentRate, rawRate),
    goal: '≥ 3×',
  });
  await store.close();

  // The peer: Emmett's SQLite event store (node-sqlite3, WAL), one append per stream.
  const emmettN = QUICK ? 100 : 300;
  try {
    const { getSQLiteEventStore } = await import('@event-driven-io/emmett-sqlite');
    const emmett = getSQLiteEventStore({ fileName: join(dir, 'emmett.db'), schema: { autoMigration: 'CreateOrUpdate' } });
    let busy = 0;
    // node-sqlite3 sometimes answers SQLITE_BUSY on commit under load: retry, and count it.
    const emmettAppend = async (stream: string, i: number) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await emmett.appendToStream(stream, [{ type: 'CustomerRegistered', data: registered(i).data as Record<string, unknown> }]);
        } catch (err) {
          if (attempt >= 5) throw err;
          busy++;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    };
    await emmettAppend('warm-up', 0);
    const emmettMs = await timeIt(async () => {
      for (let i = 0; i < emmettN; i++) await emmettAppend(`customer-c${i}`, i);
    });
    const emmettRate = (emmettN / emmettMs) * 1000;
    record({
      section: 'appends',
      what: `Emmett + emmett-sqlite 0.38.5: single appends${busy ? ` (${busy} SQLITE_BUSY retried)` : ''}`,
      value: `${fmt(emmettRate)}/s`,
      reference: `Salesline ${fmt(singleRate)}/s`,
      ratio: ratio(singleRate, emmettRate),
      goal: 'Salesline ÷ Emmett',
    });
  } catch (err) {
    record({
      section: 'appends',
      what: 'Emmett + emmett-sqlite 0.38.5: single appends',
      value: 'failed',
      reference: String(err instanceof Error ? err.message : err).slice(0, 60),
      ratio: '',
      goal: '',
    });
  }
}

async function accountCurve(dir: string) {
  const sizes = QUICK ? [100, 1_000, 10_000] : [100, 1_000, 10_000, 100_000];
  const file = join(dir, 'accounts.db');
  const store = new SqliteEventStore(file);
  const warm: number[] = [];
  const cold: number[] = [];
  for (const n of sizes) {
    const customerId = `curve-${n}`;
    await seedAccount(store, customerId, n);
    const readMs = await timeIt(() => store.readStream(accountStream(customerId)));
    const firstMs = await timeIt(() => loadStream(store, accountStream(customerId), accountDecider)); // full fold, takes the snapshot
    const loads: number[] = [];
    for (let i = 0; i < 20; i++) loads.push(await timeIt(() => loadStream(store, accountStream(customerId), accountDecider)));
    warm.push(median(loads));
    // Another process: nothing in memory, the snapshot stored beside the stream.
    const restarted = new SqliteEventStore(file);
    const coldLoads: number[] = [];
    for (let i = 0; i < 5; i++) {
      const fresh = new SqliteEventStore(file);
      coldLoads.push(await timeIt(() => loadStream(fresh, accountStream(customerId), accountDecider)));
      await fresh.close();
    }
    await restarted.close();
    cold.push(median(coldLoads));
    record({
      section: 'account',
      what: `load an account of ${fmt(n)} events in the running API (state in memory + events after it), p50`,
      value: `${fmt(median(loads), 2)} ms`,
      reference: `100 events: ${fmt(warm[0], 2)} ms`,
      ratio: ratio(median(loads), warm[0]),
      goal: n === 10_000 ? '≤ 2×' : '',
    });
    record({
      section: 'account',
      what: `  after a restart (snapshot from disk + events after it), p50`,
      value: `${fmt(median(coldLoads), 2)} ms`,
      reference: `100 events: ${fmt(cold[0], 2)} ms`,
      ratio: ratio(median(coldLoads), cold[0]),
      goal: '',
    });
    record({
      section: 'account',
      what: `  first load ever (full read + linear fold; writes the snapshot)`,
      value: `${fmt(firstMs, 1)} ms`,
      reference: `read alone ${fmt(readMs, 1)} ms`,
      ratio: ratio(firstMs, readMs),
      goal: '',
    });
  }
  await store.close();
}

/** BENCH_LOG_EVENTS=200000: a shorter log for the rebuild and start sections, to iterate on them (the goals are stated at 1M). */
const LARGE_LOG = QUICK ? 20_000 : Number(process.env.BENCH_LOG_EVENTS) || 1_000_000;

/** The log of 1M events the rebuild and the start-up figures read (written once per run). */
async function largeLog(dir: string) {
  const dataDir = join(dir, 'rebuild');
  const written = await timeIt(() => writeLargeLog(dataDir, LARGE_LOG));
  console.log(`(wrote a log of ${fmt(LARGE_LOG)} events in ${fmt(written / 1000, 1)} s)`);
  return dataDir;
}

/**
 * The rebuild a user runs: `npm run projections:rebuild -- all` (its built entry point), as its own
 * process on a log of 1M events, so the memory figure is the rebuild's own peak (the kernel's
 * high-water mark of that process), not the benchmark's.
 */
async function rebuild(dataDir: string) {
  const n = LARGE_LOG;
  const events = new SqliteEventStore(join(dataDir, 'events.db'));
  const readAllMs = await timeIt(async () => {
    let after = 0;
    for (;;) {
      const page = await events.readAll({ afterPosition: after, maxCount: 2000 });
      if (page.length === 0) break;
      after = page[page.length - 1].position;
    }
  });
  await events.close();
  // Compiled to dist/bench/: the projector's entry point is dist/apps/projector/src/rebuild.js.
  const entry = join(__dirname, '..', 'apps', 'projector', 'src', 'rebuild.js');
  let output = '';
  const ms = await timeIt(
    () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [entry, 'all'], {
          env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
        child.on('error', reject);
        child.on('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`projections:rebuild exited with ${code}: ${output.slice(-500)}`)),
        );
      }),
  );
  const summary = /read (\d+) events once for (\d+) projection\(s\) in (\d+) ms \((\d+) events\/s\), peak rss (\d+) MB/.exec(output);
  if (!summary) throw new Error(`projections:rebuild printed no summary: ${output.slice(-500)}`);
  const [, eventsRead, projections, , rate, peakMb] = summary.map(Number);
  const rawRate = (n / readAllMs) * 1000;
  record({
    section: 'rebuild',
    what: `npm run projections:rebuild -- all: ${projections} projections, one pass over ${fmt(eventsRead)} events`,
    value: `${fmt(rate)} ev/s`,
    reference: `raw read of the log ${fmt(rawRate)} ev/s`,
    ratio: ratio(rate, rawRate),
    goal: '≥ 50k ev/s',
  });
  record({
    section: 'rebuild',
    what: `  peak RSS of the rebuild process (its own; whole command ${fmt(ms / 1000, 1)} s with start-up)`,
    value: `${fmt(peakMb)} MB`,
    reference: `${fmt(n)} events`,
    ratio: '',
    goal: '< 300 MB at 1M events',
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'salesline-bench-'));
  const started = Date.now();
  try {
    if (wanted('appends')) await appends(dir);
    if (wanted('account')) await accountCurve(dir);
    const logDir = wanted('rebuild') || wanted('start') ? await largeLog(dir) : null;
    // The start-up figure uses the same log with empty read models (copied before the rebuild writes them).
    const startDir = join(dir, 'start');
    if (logDir && wanted('start')) {
      execSync(`mkdir -p ${startDir}`);
      copyFileSync(join(logDir, 'events.db'), join(startDir, 'events.db'));
    }
    if (logDir && wanted('rebuild')) await rebuild(logDir);
    if (wanted('http')) await runHttpBenchmarks({ quick: QUICK });
    if (wanted('orders')) await runOrderCurve({ quick: QUICK });
    if (logDir && wanted('start')) await runStartUp({ quick: QUICK, dataDir: startDir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (ONLY) return;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}, ${process.platform}`;
  const file = writeBenchmarksDoc({ rows, machine, seconds: (Date.now() - started) / 1000, quick: QUICK });
  console.log(`\nwrote ${file} (${fmt((Date.now() - started) / 1000)} s)`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
