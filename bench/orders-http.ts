import 'reflect-metadata';
import { Body, Controller, INestApplication, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { loadConfig } from '@salesline/core';
import { createApp } from '@salesline/api/create-app';
import { fmt, ratio, record } from './report';

/**
 * `node dist/bench/orders-http.js`: only the order figure of bench/http.ts (POST /api/orders over 50
 * customers, 64 connections, durable), beside a bare NestJS POST in the same run, so that the place-order
 * path can be measured and profiled (`node --cpu-prof`) on its own. BENCH_SECONDS sets the duration.
 */
type CannonResult = {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  non2xx: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<CannonResult>;

const ADMIN = 'bench-admin-token-0123456789abcdef';
const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

const cannon = async (url: string, seconds: number, requests: Record<string, unknown>[]) => {
  const cpu = process.cpuUsage();
  const result = await autocannon({ url, connections: 64, duration: seconds, headers, requests });
  const used = process.cpuUsage(cpu);
  const codes = Object.entries(result.statusCodeStats)
    .map(([code, { count }]) => `${code}: ${count}`)
    .join(', ');
  // CPU per request, of this whole process (server and client): steadier than req/s on a loaded machine.
  const cpuMs = (used.user + used.system) / 1000 / Math.max(1, result.requests.total);
  console.log(
    `${url}: ${result.requests.total} requests (${codes}), p50 ${result.latency.p50} p90 ${result.latency.p90} p99 ${result.latency.p99} max ${result.latency.max} ms, ${cpuMs.toFixed(2)} ms CPU per request`,
  );
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.non2xx + result.timeouts,
  };
};

@Controller('bare')
class BareController {
  @Post()
  post(@Body() body: unknown) {
    return { id: 'x', position: 1, echo: body ? 1 : 0 };
  }
}
@Module({ controllers: [BareController] })
class BareModule {}

const listen = async (app: INestApplication) => {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
};

const post = async (url: string, body: unknown): Promise<{ id: string }> => {
  const res = await fetch(url, { method: 'POST', headers: { ...headers, connection: 'close' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
};

async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'salesline-bench-orders-'));
  try {
    const bare = await NestFactory.create(BareModule, { logger: false });
    const bareBase = await listen(bare);
    const barePost = await cannon(bareBase, process.env.BENCH_SKIP_BARE === '1' ? 1 : seconds, [
      { method: 'POST', path: '/bare', body: JSON.stringify({ name: 'C' }) },
    ]);
    await bare.close();
    record({
      section: 'http',
      what: 'bare NestJS POST, 64 connections',
      value: `${fmt(barePost.rps)} req/s`,
      reference: '(the framework ceiling)',
      ratio: '1.00×',
      goal: '',
    });

    const app = await createApp(loadConfig({ DATA_DIR: dir, ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'silent', RATE_LIMIT: 'off' }));
    const base = await listen(app);
    const product = (await post(`${base}/api/products`, { sku: 'B-1', name: 'Bench', unit: 'pcs', listPrice: 100, standardCost: 50 })).id;
    const buyers: string[] = [];
    for (let i = 0; i < 50; i++)
      buyers.push(
        (
          await post(`${base}/api/customers`, {
            name: `C${i}`,
            customerGroup: 'g',
            territory: 't',
            ownerId: 'sp',
            creditLimit: 1_000_000_000,
            paymentTermsDays: 30,
          })
        ).id,
      );
    // BENCH_CPU_PROFILE=<file>: a CPU profile of the order load only (not the start-up or the bare endpoint).
    const profile = process.env.BENCH_CPU_PROFILE;
    const session = profile ? new Session() : null;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    let o = 0;
    const orderBody = (customerId: string) =>
      JSON.stringify({ customerId, salespersonId: 'sp', lines: [{ productId: product, quantity: 1 }] });
    const orders = await cannon(base, seconds, [
      { method: 'POST', path: '/api/orders', setupRequest: (req: object) => ({ ...req, body: orderBody(buyers[o++ % buyers.length]) }) },
    ]);
    if (session && profile) {
      const { profile: taken } = await session.post('Profiler.stop');
      writeFileSync(profile, JSON.stringify(taken));
      session.disconnect();
    }
    record({
      section: 'http',
      what: `POST /api/orders over 50 customers, 64 conn (p50 ${fmt(orders.p50)} ms, p99 ${fmt(orders.p99)} ms, ${orders.failed} failed)`,
      value: `${fmt(orders.rps)} req/s`,
      reference: `bare POST ${fmt(barePost.rps)}`,
      ratio: ratio(orders.rps, barePost.rps),
      goal: '≥ 500 req/s, p99 < 100 ms',
    });
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
