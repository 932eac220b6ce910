import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cannon, CannonRequest } from './cannon';
import { customerBody, headers, listen, orderBodiesFor, PLATFORMS, startBare, startSalesline } from './http';
import { fmt, ratio, record } from './report';

/**
 * `node dist/bench/orders-http.js`: only the order figure of bench/http.ts (POST /api/orders over 50
 * customers, 64 connections, durable) on each HTTP platform (Fastify, then Express; BENCH_PLATFORM=fastify or express for
 * one), beside a bare NestJS POST (Express) in the same run, so that the place-order path can be measured and profiled on
 * its own. BENCH_SECONDS sets the duration.
 */

/** The runner of every benchmark (bench/cannon.ts), 64 connections, with the figures printed. */
const load = async (url: string, seconds: number, requests: CannonRequest[], cpuProfile?: string) => {
  const figures = await cannon(url, { seconds, connections: 64, headers, requests, cpuProfile });
  console.log(
    `${url}: ${figures.total} requests (${figures.codes}), p50 ${figures.p50} p90 ${figures.p90} p99 ${figures.p99} max ${figures.max} ms, ${figures.busyMs.toFixed(2)} ms of the server thread per request`,
  );
  return figures;
};

async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const dirs: string[] = [];
  try {
    const bare = await startBare('express');
    const bareBase = await listen(bare);
    const barePost = await load(bareBase, process.env.BENCH_SKIP_BARE === '1' ? 1 : seconds, [
      { method: 'POST', path: '/bare', body: customerBody(0) },
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

    for (const platform of PLATFORMS.filter((p) => (process.env.BENCH_PLATFORM ?? p) === p)) {
      const dir = mkdtempSync(join(tmpdir(), 'salesline-bench-orders-'));
      dirs.push(dir);
      const { app, base } = await startSalesline(dir, 'in-process', platform);
      const orderBodies = await orderBodiesFor(base, 50);
      // BENCH_CPU_PROFILE=<file>: a CPU profile of the order load only (not the start-up or the bare endpoint).
      const profile = process.env.BENCH_CPU_PROFILE?.replace(/(\.cpuprofile)?$/, `-${platform}.cpuprofile`);
      const orders = await load(base, seconds, [{ method: 'POST', path: '/api/orders', body: orderBodies }], profile);
      record({
        section: 'http',
        what: `POST /api/orders on ${platform === 'fastify' ? 'Fastify' : 'Express'} over 50 customers, 64 conn (p50 ${fmt(orders.p50)} ms, p99 ${fmt(orders.p99)} ms, ${orders.failed} failed, ${fmt(orders.cpuMs, 2)} ms of CPU of the server thread per answer)`,
        value: `${fmt(orders.rps)} req/s`,
        reference: `bare POST ${fmt(barePost.rps)}`,
        ratio: ratio(orders.rps, barePost.rps),
        goal: platform === 'fastify' ? '≥ 500 req/s, p99 < 100 ms' : '',
      });
      await app.close();
    }
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
