import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@salesline/core';
import { createApp } from '@salesline/api/create-app';

/**
 * HTTP benchmark (run: `npm run bench:http`): a real server on a temp data folder, driven by
 * concurrent clients in the same process. Reports throughput and latency percentiles.
 */
const ADMIN = 'bench-admin-token-0123456789abcdef';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function drive(label: string, total: number, concurrency: number, request: (i: number) => Promise<Response>) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        const res = await request(i);
        await res.arrayBuffer();
        if (res.status >= 400) failures++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(44)} ${total} req, c=${concurrency}: ${Math.round(total / seconds)} req/s, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, failures ${failures}, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
  );
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'salesline-bench-http-'));
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'silent', PROJECTIONS: process.env.PROJECTIONS ?? 'in-process' }));
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  try {
    const n = Number(process.env.BENCH_N ?? 2000);
    await drive('POST /api/customers', n, 16, (i) =>
      post('/api/customers', { name: `C${i}`, customerGroup: 'g', territory: 't', ownerId: 'sp', creditLimit: 10_000_000, paymentTermsDays: 30 }),
    );
    await drive('GET /api/customers?territory=t&limit=50', n, 16, () => fetch(`${base}/api/customers?territory=t&limit=50`, { headers }));
    const product = ((await (await post('/api/products', { sku: 'B-1', name: 'Bench', unit: 'pcs', listPrice: 100, standardCost: 50 })).json()) as { id: string }).id;
    const customers: string[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await post('/api/customers', { name: `Buyer ${i}`, customerGroup: 'g', territory: 't', ownerId: 'sp', creditLimit: 1_000_000_000, paymentTermsDays: 30 });
      customers.push(((await res.json()) as { id: string }).id);
    }
    const order = (customerId: string) => post('/api/orders', { customerId, salespersonId: 'sp', lines: [{ productId: product, quantity: 1 }] });
    await drive('POST /api/orders, 50 customers', n / 2, 16, (i) => order(customers[i % customers.length]));
    // Worst case: every order races for the same customer's credit (one account stream).
    await drive('POST /api/orders, one customer', n / 4, 16, () => order(customers[0]));
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
