import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEvent, rebuildProjection, SqliteEventStore, SqliteReadStore } from '@salesline/core';
import { customersProjection } from '@salesline/customers';

/**
 * Benchmarks of the embedded stores (run: `npm run bench`). Results are written down in
 * bench/RESULTS.md with the machine they ran on; timings are never asserted in tests.
 */
const meta = { actor: 'bench', correlationId: 'bench', causationId: null, occurredAt: new Date().toISOString(), schemaVersion: 1 };
const registered = (i: number): NewEvent => ({
  type: 'CustomerRegistered',
  data: { customerId: `c${i}`, name: `Customer ${i}`, customerGroup: `g${i % 10}`, territory: `t${i % 7}`, ownerId: `sp${i % 25}`, creditLimit: 100_000, paymentTermsDays: 30, registeredOn: '2026-01-01' },
  metadata: meta,
});

const measure = async (label: string, count: number, fn: () => Promise<void>) => {
  const heapBefore = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  await fn();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  console.log(`${label.padEnd(58)} ${String(count).padStart(7)} ops ${ms.toFixed(0).padStart(7)} ms ${Math.round((count / ms) * 1000).toString().padStart(8)} ops/s  heap Δ ${heapMb.toFixed(1)} MB`);
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'salesline-bench-'));
  const events = new SqliteEventStore(join(dir, 'events.db'));
  const reads = new SqliteReadStore(join(dir, 'read-models.db'));
  const n = Number(process.env.BENCH_N ?? 5000);
  try {
    await measure('append: 1 event per append (new stream, fsync each)', n, async () => {
      for (let i = 0; i < n; i++) await events.append(`customer-c${i}`, [registered(i)], 'no_stream');
    });
    await measure('append: 100 events per append (one stream)', n * 10, async () => {
      for (let b = 0; b < (n * 10) / 100; b++) {
        await events.append('bench-batch', Array.from({ length: 100 }, (_, i) => registered(i)), b === 0 ? 'no_stream' : b * 100 - 1);
      }
    });
    await measure('append: 8 concurrent writers on one stream (with conflicts)', 800, async () => {
      let done = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (done < 800) {
            const last = (await events.readStream('bench-hot', { direction: 'backwards', maxCount: 1 }))[0];
            try {
              await events.append('bench-hot', [registered(done)], last ? last.revision : 'no_stream');
              done++;
            } catch {
              /* conflict: retry */
            }
          }
        }),
      );
    });
    await measure('readStream: 50 000-event stream, forwards', n * 10, async () => {
      await events.readStream('bench-batch');
    });
    const head = await events.headPosition();
    await measure('readAll: whole log in pages of 1000', head, async () => {
      let after = 0;
      for (;;) {
        const page = await events.readAll({ afterPosition: after, maxCount: 1000 });
        if (page.length === 0) break;
        after = page[page.length - 1].position;
      }
    });
    // Every event in this log is a CustomerRegistered, so the rebuild folds all of them.
    await measure('projection rebuild: customers (all events match)', head, async () => {
      await rebuildProjection(events, reads, customersProjection);
    });
    await measure('read model: find by indexed field (territory) x1000', 1000, async () => {
      for (let i = 0; i < 1000; i++) await reads.find('customers', { territory: `t${i % 7}` }, { limit: 50 });
    });
  } finally {
    await events.close();
    await reads.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
