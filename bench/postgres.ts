import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EventStore, NewEvent, ReadStore, rebuildProjection, SqliteEventStore, SqliteReadStore } from '@salesline/core';
import { PostgresEventStore } from '../libs/core/src/event-store/postgres/postgres-event-store';
import { PostgresReadStore } from '../libs/core/src/read-store/postgres/postgres-read-store';
import { customersProjection } from '@salesline/customers';

/**
 * PostgreSQL beside SQLite (run: `npm run bench:postgres`): append, read-all and rebuild rates on
 * the same workload. The PostgreSQL run works in a fresh database created on BENCH_POSTGRES_URL
 * (else POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/test) and dropped afterwards.
 * Timings are written down in bench/RESULTS.md, never asserted in tests.
 */
const meta = { actor: 'bench', correlationId: 'bench', causationId: null, occurredAt: new Date().toISOString(), schemaVersion: 1 };
const registered = (i: number): NewEvent => ({
  type: 'CustomerRegistered',
  data: {
    customerId: `c${i}`,
    name: `Customer ${i}`,
    customerGroup: `g${i % 10}`,
    territory: `t${i % 7}`,
    ownerId: `sp${i % 25}`,
    creditLimit: 100_000,
    paymentTermsDays: 30,
    registeredOn: '2026-01-01',
  },
  metadata: meta,
});

const measure = async (engine: string, label: string, count: number, fn: () => Promise<void>) => {
  const started = process.hrtime.bigint();
  await fn();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(
    `${engine.padEnd(10)} ${label.padEnd(52)} ${String(count).padStart(7)} ops ${ms.toFixed(0).padStart(7)} ms ${Math.round(
      (count / ms) * 1000,
    )
      .toString()
      .padStart(8)} ops/s`,
  );
};

const workload = async (engine: string, events: EventStore, reads: ReadStore, n: number) => {
  await measure(engine, 'append: 1 event per append (new stream)', n, async () => {
    for (let i = 0; i < n; i++) await events.append(`customer-c${i}`, [registered(i)], 'no_stream');
  });
  await measure(engine, 'append: 1 event per append, 8 concurrent callers', n, async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < n) {
          const i = next++;
          await events.append(`customer-p${i}`, [registered(n + i)], 'no_stream');
        }
      }),
    );
  });
  await measure(engine, 'append: 100 events per append (one stream)', n * 4, async () => {
    for (let b = 0; b < (n * 4) / 100; b++) {
      await events.append(
        'bench-batch',
        Array.from({ length: 100 }, (_, i) => registered(2 * n + b * 100 + i)),
        b === 0 ? 'no_stream' : b * 100 - 1,
      );
    }
  });
  const head = await events.headPosition();
  await measure(engine, 'readAll: whole log in pages of 1000', head, async () => {
    let after = 0;
    for (;;) {
      const page = await events.readAll({ afterPosition: after, maxCount: 1000 });
      if (page.length === 0) break;
      after = page[page.length - 1].position;
    }
  });
  await measure(engine, 'projection rebuild: customers (all events match)', head, async () => {
    await rebuildProjection(events, reads, customersProjection);
  });
};

const adminQuery = async (url: string, sql: string) => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

async function main() {
  const n = Number(process.env.BENCH_N ?? 2000);
  const dir = mkdtempSync(join(tmpdir(), 'salesline-bench-pg-'));
  try {
    const sqliteEvents = new SqliteEventStore(join(dir, 'events.db'));
    const sqliteReads = new SqliteReadStore(join(dir, 'read-models.db'));
    try {
      await workload('sqlite', sqliteEvents, sqliteReads, n);
    } finally {
      await sqliteEvents.close();
      await sqliteReads.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const admin = process.env.BENCH_POSTGRES_URL || process.env.POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const name = `salesline_bench_${randomBytes(4).toString('hex')}`;
  try {
    await adminQuery(admin, `CREATE DATABASE ${name}`);
  } catch (err) {
    console.log(
      `postgres   skipped: no PostgreSQL at ${admin.replace(/\/\/[^@/]*@/, '//')} (${err instanceof Error ? err.message : String(err)})`,
    );
    return;
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  try {
    const events = await PostgresEventStore.connect(url.toString());
    const reads = await PostgresReadStore.connect(url.toString());
    try {
      await workload('postgres', events, reads, n);
    } finally {
      await events.close();
      await reads.close();
    }
  } finally {
    await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
