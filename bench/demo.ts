import 'reflect-metadata';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, EventStore, loadConfig, RecordedEvent } from '@salesline/core';
import { createApp } from '@salesline/api/create-app';
import { generateDemo } from '@salesline/demo/demo-company';
import { fmt } from './report';

/**
 * `npm run bench:demo`: the default demo year, timed (wall and CPU of this process, which runs the API and the demo),
 * against a reference measured in the same run: raw better-sqlite3 fsynced single-row transactions. The year is
 * built twice with the same seed, once with eight lanes side by side and once one at a time, and the two logs are
 * compared stream by stream (types, streams, data with their business dates). Writes docs/demo-benchmark.md.
 */
const ADMIN = 'bench-demo-admin-token-0123456789abcdef';

const rawAppendRate = () => {
  const dir = mkdtempSync(join(tmpdir(), 'salesline-demo-raw-'));
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE events (position INTEGER PRIMARY KEY, stream_name TEXT NOT NULL, data TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO events (position, stream_name, data) VALUES (?, ?, ?)');
  const one = db.transaction((i: number) => insert.run(i + 1, `customer-c${i}`, JSON.stringify({ i, name: `Customer ${i}` })));
  const n = 1000;
  const t = performance.now();
  for (let i = 0; i < n; i++) one.immediate(i);
  const ms = performance.now() - t;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return (n / ms) * 1000;
};

const dumpLog = async (store: EventStore) => {
  const all: RecordedEvent[] = [];
  for (
    let b = await store.readAll({ maxCount: 1000 });
    b.length;
    b = await store.readAll({ afterPosition: b.at(-1)!.position, maxCount: 1000 })
  )
    all.push(...b);
  return all.map((e) => `${e.streamName}#${e.revision} ${e.type} ${e.streamName.startsWith('user-') ? '' : JSON.stringify(e.data)}`).sort();
};

const buildYear = async (concurrency: number) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'salesline-demo-bench-'));
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'silent', PORT: '0', RATE_LIMIT: 'off' }));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await generateDemo(`http://127.0.0.1:${port}`, ADMIN, { seed: 1, concurrency });
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const log = await dumpLog(app.get<EventStore>(EVENT_STORE));
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  return { wallS, cpuS: (cpu.user + cpu.system) / 1e6, events: summary.lastPosition, log };
};

async function main() {
  const started = new Date();
  const load = loadavg()[0];
  /** Fewer runnable jobs than cores at the start: the wall time is the demo's own. */
  const idle = load < cpus().length;
  const rawBefore = rawAppendRate();
  const lanes = await buildYear(8);
  const single = await buildYear(1);
  const rawAfter = rawAppendRate();
  const raw = (rawBefore + rawAfter) / 2;
  const same = lanes.log.length === single.log.length && lanes.log.every((line, i) => line === single.log[i]);
  const line = (label: string, r: { wallS: number; cpuS: number; events: number }) =>
    `| ${label} | ${fmt(r.wallS, 1)} s | ${fmt(r.cpuS, 1)} s | ${fmt(r.events)} | ${fmt(r.events / r.wallS)}/s | ${fmt(r.events / r.wallS / raw, 2)}× |`;
  const doc = [
    '# Demo year benchmark',
    '',
    `\`npm run bench:demo\` on ${started.toISOString().slice(0, 16)}Z, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${fmt(load, 2)} at the start (a machine shared with other agents: read the ratio, not the seconds).`,
    '',
    `Reference in the same run: raw better-sqlite3, one row per fsynced transaction (WAL, synchronous=FULL): ${fmt(raw)} appends/s.`,
    '',
    '| default demo year (seed 1, scale 1) | wall | CPU (API + demo, one process) | events | events/s | ÷ raw append rate |',
    '|---|---|---|---|---|---|',
    line('8 lanes side by side (default)', lanes),
    line('one lane at a time', single),
    '',
    `The issue asks that the default year finish in under a minute. Here it took ${fmt(lanes.wallS, 1)} s of wall time with eight lanes at a load average of ${fmt(load, 2)} on ${cpus().length} cores; ` +
      `its CPU time, ${fmt(lanes.cpuS, 1)} s, is the floor of its wall time on an otherwise idle machine (one Node process runs the API, its projections and the demo, and SQLite works on its main thread; fsync waits come on top, overlapped by the other lanes), ` +
      (idle
        ? `and this machine was idle, so the wall time is the measurement: the year ${lanes.wallS < 60 ? 'finished within' : 'did NOT finish within'} the minute. `
        : `so on an idle ${cpus().length}-core machine the year is expected ${lanes.cpuS < 45 ? 'within' : 'NOT within'} the minute (not measured idle here). `) +
      `\`npm run demo\` builds first (\`npm run build\`: tsc, tsc-alias and Vite, about 25 s of CPU), which is not part of the year.`,
    '',
    `Determinism at default size: the two logs ${same ? 'are identical' : 'DIFFER'} stream by stream (${fmt(lanes.log.length)} events: types, streams, revisions, data with their business dates; credentials in \`user-\` streams by type only, their ids are random by design).`,
    '',
  ].join('\n');
  writeFileSync(join(process.cwd(), 'docs', 'demo-benchmark.md'), doc);
  process.stdout.write(doc);
  if (!same) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
