import 'reflect-metadata';
import { Body, Controller, Get, INestApplication, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, SqliteEventStore } from '@salesline/core';
import { createApp } from '@salesline/api/create-app';
import { registered, seedAccount } from './large-log';
import { cannon, CannonFigures, CannonRequest } from './cannon';
import { fmt, median, ratio, record } from './report';

export const ADMIN = 'bench-admin-token-0123456789abcdef';

/**
 * fetch on a fresh connection, retried once: servers come and go on reused ephemeral ports in
 * this run, and a kept-alive socket of an earlier server would be reset.
 */
const call = async (url: string, init: RequestInit = {}): Promise<Response> => {
  const once = () => fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), connection: 'close' } });
  try {
    return await once();
  } catch {
    return once();
  }
};
export const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

/** POST `body` as the admin and read the answer's id (a refusal throws: the setup of a measurement must not fail). */
export const postJson = async (url: string, body: unknown): Promise<{ id: string }> => {
  const res = await call(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
};

/**
 * The runner (bench/cannon.ts: a worker thread of this process) with the admin's headers.
 * BENCH_CPU_PROFILE_DIR=<folder>: a CPU profile of the server thread per load, named after its first request.
 */
const load = (url: string, seconds: number, connections: number, requests: CannonRequest[]) => {
  const folder = process.env.BENCH_CPU_PROFILE_DIR;
  const name = `${requests[0].method}${requests[0].path.replace(/[^A-Za-z0-9]+/g, '-')}-${connections}c-${Date.now()}.cpuprofile`;
  return cannon(url, { seconds, connections, headers, requests, cpuProfile: folder ? join(folder, name) : undefined });
};

@Controller('bare')
class BareController {
  @Get(':id')
  get(@Param('id') id: string) {
    return { id, name: 'Acme', status: 'active' };
  }
  @Post()
  post(@Body() body: unknown) {
    return { id: 'x', position: 1, echo: body ? 1 : 0 };
  }
}
@Module({ controllers: [BareController] })
export class BareModule {}

/** The HTTP platforms the API runs on (HTTP_PLATFORM): every figure of the real API is measured on both in one run. */
export const PLATFORMS = ['fastify', 'express'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** The bare endpoints on a platform (`@nestjs/platform-express`, the framework ceiling of the goals, or `@nestjs/platform-fastify`). */
export const startBare = async (platform: Platform): Promise<INestApplication> =>
  platform === 'express'
    ? NestFactory.create(BareModule, { logger: false })
    : NestFactory.create(BareModule, new FastifyAdapter(), { logger: false });

export const listen = async (app: INestApplication) => {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
};

export const startSalesline = async (dataDir: string, projections = 'in-process', platform: Platform = 'fastify') => {
  const app = await createApp(
    loadConfig({
      DATA_DIR: dataDir,
      ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'silent',
      PROJECTIONS: projections,
      RATE_LIMIT: 'off',
      HTTP_PLATFORM: platform,
    }),
  );
  return { app, base: await listen(app) };
};

/** A health answer with the projections' catch-up (a busy server may answer without a body: null then). */
type Health = { info?: { projections?: { lag: number; head: number; catchingUp?: boolean } } } | null;
const health = async (base: string): Promise<Health> => (await (await call(`${base}/health`)).json().catch(() => null)) as Health;

export const customerBody = (i: number | string) =>
  JSON.stringify({ name: `C${i}`, customerGroup: 'g', territory: 't', ownerId: 'sp', creditLimit: 1_000_000_000, paymentTermsDays: 30 });
/** A new customer per request: `{n}` is the request's number (bench/cannon.ts). */
const uniqueCustomer = customerBody('{n}');

/** One product and `customers` new customers on `base`: an order body per customer, each for one unit. */
export const orderBodiesFor = async (base: string, customers: number): Promise<string[]> => {
  const product = (await postJson(`${base}/api/products`, { sku: 'B-1', name: 'Bench', unit: 'pcs', listPrice: 100, standardCost: 50 })).id;
  const bodies: string[] = [];
  for (let i = 0; i < customers; i++) {
    const customerId = (await postJson(`${base}/api/customers`, customerBody(10_000 + i))).id;
    bodies.push(JSON.stringify({ customerId, salespersonId: 'sp', lines: [{ productId: product, quantity: 1 }] }));
  }
  return bodies;
};

export type HttpBenchOptions = { quick: boolean };

export async function runHttpBenchmarks(options: HttpBenchOptions): Promise<void> {
  const seconds = options.quick ? 2 : 5;
  const dirs: string[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'salesline-bench-http-'));
    dirs.push(d);
    return d;
  };
  try {
    // The framework ceiling: a bare NestJS (Express) endpoint, same process, same client; and the same on Fastify.
    const bare = {} as Record<Platform, { get: CannonFigures; post: CannonFigures }>;
    for (const platform of ['express', 'fastify'] as const) {
      const app = await startBare(platform);
      const base = await listen(app);
      bare[platform] = {
        get: await load(base, seconds, 64, [{ method: 'GET', path: '/bare/abc' }]),
        post: await load(base, seconds, 64, [{ method: 'POST', path: '/bare', body: customerBody(0) }]),
      };
      await app.close();
    }
    const bareGet = bare.express.get;
    const barePost = bare.express.post;
    const cpu = (f: CannonFigures) => `${fmt(f.cpuMs, 2)} ms of CPU of the server thread per answer`;
    record({
      section: 'http',
      what: `bare NestJS GET, 64 connections (${cpu(bareGet)})`,
      value: `${fmt(bareGet.rps)} req/s`,
      reference: '(the framework ceiling)',
      ratio: '1.00×',
      goal: '',
    });
    record({
      section: 'http',
      what: `bare NestJS POST, 64 connections (${cpu(barePost)})`,
      value: `${fmt(barePost.rps)} req/s`,
      reference: '(the framework ceiling)',
      ratio: '1.00×',
      goal: '',
    });
    for (const [what, figures, reference] of [
      ['GET', bare.fastify.get, bareGet],
      ['POST', bare.fastify.post, barePost],
    ] as const) {
      record({
        section: 'http',
        what: `bare NestJS ${what} on Fastify (@nestjs/platform-fastify), 64 connections (${cpu(figures)})`,
        value: `${fmt(figures.rps)} req/s`,
        reference: `bare ${what} on Express ${fmt(reference.rps)}`,
        ratio: ratio(figures.rps, reference.rps),
        goal: '',
      });
    }

    // The API on each platform (HTTP_PLATFORM), the one it runs on (Fastify) first, then Express for the comparison.
    for (const platform of PLATFORMS) {
      const on = ` on ${platform === 'fastify' ? 'Fastify' : 'Express'}`;
      const goals = platform === 'fastify';
      // Writes with the projections off (scale-out API) and in-process (embedded default).
      const off = await startSalesline(temp(), 'off', platform);
      const postOff = await load(off.base, seconds, 64, [{ method: 'POST', path: '/api/customers', body: uniqueCustomer }]);
      await off.app.close();
      const running = await startSalesline(temp(), 'in-process', platform);
      const postOn = await load(running.base, seconds, 64, [{ method: 'POST', path: '/api/customers', body: uniqueCustomer }]);
      record({
        section: 'http',
        what: `POST /api/customers${on}, 64 conn, projections off (p99 ${fmt(postOff.p99)} ms, ${postOff.failed} failed, ${cpu(postOff)})`,
        value: `${fmt(postOff.rps)} req/s`,
        reference: `bare POST ${fmt(barePost.rps)}`,
        ratio: ratio(postOff.rps, barePost.rps),
        goal: '',
      });
      record({
        section: 'http',
        what: `POST /api/customers${on}, 64 conn, projections in-process (p99 ${fmt(postOn.p99)} ms, ${postOn.failed} failed, ${cpu(postOn)})`,
        value: `${fmt(postOn.rps)} req/s`,
        reference: `projections off ${fmt(postOff.rps)}`,
        ratio: ratio(postOn.rps, postOff.rps),
        goal: goals ? '≥ 0.80×; ≥ 1,500 req/s' : '',
      });

      const created = await postJson(`${running.base}/api/customers`, customerBody(-1));
      const getById = await load(running.base, seconds, 64, [{ method: 'GET', path: `/api/customers/${created.id}` }]);
      record({
        section: 'http',
        what: `GET /api/customers/{id}${on}, 64 conn (p99 ${fmt(getById.p99)} ms, ${getById.failed} failed, ${cpu(getById)})`,
        value: `${fmt(getById.rps)} req/s`,
        reference: `bare GET ${fmt(bareGet.rps)}`,
        ratio: ratio(getById.rps, bareGet.rps),
        goal: goals ? '≥ 0.50×' : '',
      });
      if (goals) {
        record({
          section: 'http',
          what: `GET /api/customers/{id}${on}, against the bare GET on Fastify`,
          value: `${fmt(getById.rps)} req/s`,
          reference: `bare GET on Fastify ${fmt(bare.fastify.get.rps)}`,
          ratio: ratio(getById.rps, bare.fastify.get.rps),
          goal: '',
        });
      }

      const orderBodies = await orderBodiesFor(running.base, 50);
      const orders = await load(running.base, seconds, 64, [{ method: 'POST', path: '/api/orders', body: orderBodies }]);
      record({
        section: 'http',
        what: `POST /api/orders${on} over 50 customers, 64 conn (p99 ${fmt(orders.p99)} ms, ${orders.failed} failed, ${cpu(orders)})`,
        value: `${fmt(orders.rps)} req/s`,
        reference: `bare POST ${fmt(barePost.rps)}`,
        ratio: ratio(orders.rps, barePost.rps),
        goal: goals ? '≥ 500 req/s, p99 < 100 ms' : '',
      });

      if (goals) {
        // A heavy report next to a light read: the light read's latency with and without it.
        const quiet = await load(running.base, seconds, 8, [{ method: 'GET', path: `/api/customers/${created.id}` }]);
        const year = new Date().getUTCFullYear();
        const [busy] = await Promise.all([
          load(running.base, seconds, 8, [{ method: 'GET', path: `/api/customers/${created.id}` }]),
          load(running.base, seconds, 4, [{ method: 'GET', path: `/api/reports/sales-progress?period=${year}&level=company` }]),
        ]);
        record({
          section: 'http',
          what: 'GET by id p99 while sales-progress reports run (8 + 4 conn)',
          value: `${fmt(busy.p99)} ms`,
          reference: `alone ${fmt(quiet.p99)} ms`,
          ratio: ratio(busy.p99, quiet.p99),
          goal: 'not blocked',
        });
      }
      await running.app.close();
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/**
 * Place-order latency against the customer's past: sequential orders for customers whose accounts
 * already hold 100 / 1k / 10k / 100k events (one credit reservation per past order), against a fresh
 * customer in the same run. The server first catches the seeded log up in-process (bounded wait).
 */
export async function runOrderCurve(options: HttpBenchOptions): Promise<void> {
  const curveDir = mkdtempSync(join(tmpdir(), 'salesline-bench-orders-'));
  try {
    const levels = options.quick ? [0, 100, 1_000, 10_000] : [0, 100, 1_000, 10_000, 100_000];
    const seed = new SqliteEventStore(join(curveDir, 'events.db'));
    for (const n of levels) {
      await seed.append(
        `customer-acct-${n}`,
        [{ ...registered(n), data: { ...(registered(n).data as object), customerId: `acct-${n}`, creditLimit: 1_000_000_000_000 } }],
        'no_stream',
      );
      if (n > 0) await seedAccount(seed, `acct-${n}`, n);
    }
    const seeded = await seed.headPosition();
    await seed.close();
    const started = performance.now();
    const curve = await startSalesline(curveDir);
    // Measure orders, not the start-up catch-up of the seeded log: wait until the read models are current (bounded).
    let lag = seeded;
    for (const until = Date.now() + 300_000; lag > 0 && Date.now() < until;) {
      // A busy server may answer a health check with no body: that is not a lag of 0, ask again.
      lag = (await health(curve.base))?.info?.projections?.lag ?? lag;
      if (lag > 0) await new Promise((r) => setTimeout(r, 200));
    }
    const caughtUpMs = performance.now() - started;
    record({
      section: 'orders',
      what: `in-process catch-up of the seeded log (one account of ${fmt(levels[levels.length - 1])} reservations)${lag > 0 ? `, stopped at lag ${fmt(lag)}` : ''}`,
      value: `${fmt(((seeded - lag) / caughtUpMs) * 1000)} ev/s`,
      reference: `${fmt(seeded)} events in ${fmt(caughtUpMs / 1000, 1)} s`,
      ratio: '',
      goal: '',
    });
    const p = (await postJson(`${curve.base}/api/products`, { sku: 'B-2', name: 'Bench', unit: 'pcs', listPrice: 100, standardCost: 50 }))
      .id;
    const fresh: number[] = [];
    for (const n of levels) {
      const times: number[] = [];
      let failures = 0;
      // The 100k point takes fewer samples: each order there is the same bounded work, and the run must end.
      const samples = options.quick || n >= 100_000 ? 6 : 15;
      for (let i = 0; i < samples; i++) {
        const t = performance.now();
        // A fresh connection each time: the first order of a long account blocks for its first fold,
        // and a kept-alive socket may be closed by the server meanwhile.
        const res = await call(`${curve.base}/api/orders`, {
          method: 'POST',
          headers: { ...headers, connection: 'close' },
          body: JSON.stringify({ customerId: `acct-${n}`, salespersonId: 'sp', lines: [{ productId: p, quantity: 1 }] }),
        }).catch(() => null);
        if (!res || res.status >= 400) {
          if (i > 0) failures++;
          continue;
        }
        await res.arrayBuffer();
        if (i > 0) times.push(performance.now() - t); // the first order takes the snapshot
      }
      if (n === 0) fresh.push(median(times));
      record({
        section: 'orders',
        what: `POST /api/orders, customer with ${fmt(n)} account events, sequential p50${failures ? ` (${failures} failed)` : ''}`,
        value: `${fmt(median(times), 1)} ms`,
        reference: `fresh customer ${fmt(fresh[0], 1)} ms`,
        ratio: ratio(median(times), fresh[0]),
        goal: n === 10_000 ? '≤ 2×' : '',
      });
    }
    await curve.app.close();
  } finally {
    rmSync(curveDir, { recursive: true, force: true });
  }
}

/** The kernel's figures of a process: resident now and its high-water mark, in MB (null when gone). */
const memoryOf = (pid: number): { rss: number; peak: number } | null => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * The API a user starts (its built entry point, as its own process) on a long log with empty read
 * models: when it listens, when /health answers with the catch-up and its lag, and the process's own
 * peak memory while it catches up (watched for a bounded time, or until the read models are current).
 */
export async function runStartUp(options: HttpBenchOptions & { dataDir: string }): Promise<void> {
  const watchMs = options.quick ? 20_000 : 60_000;
  // The reference: the same API started on an empty data folder (loading the code, opening the stores).
  const emptyDir = mkdtempSync(join(tmpdir(), 'salesline-bench-start-'));
  let emptyMs: number;
  try {
    const empty = await spawnApi(emptyDir);
    emptyMs = empty.listenedMs;
    await empty.stop();
  } finally {
    rmSync(emptyDir, { recursive: true, force: true });
  }
  const api = await spawnApi(options.dataDir);
  try {
    // Asked until it answers with the projections (a busy server may close a health check without one).
    let answer = await health(api.base);
    for (let attempt = 0; !answer?.info?.projections && attempt < 50 && api.running(); attempt++) answer = await health(api.base);
    const first = answer?.info?.projections;
    if (!first) throw new Error(`/health never answered with the projections: ${api.output().slice(-500)}`);
    const answeredMs = performance.now() - api.spawnedAt;
    // Then watched: the lag it reports, the health answer's latency and the process's memory.
    let last = first;
    let slowestHealth = 0;
    let maxRss = 0;
    while (performance.now() - api.spawnedAt < watchMs && last.lag > 0 && api.running()) {
      await new Promise((r) => setTimeout(r, 500));
      maxRss = Math.max(maxRss, memoryOf(api.pid)?.rss ?? 0);
      const asked = performance.now();
      const now = (await health(api.base))?.info?.projections;
      slowestHealth = Math.max(slowestHealth, performance.now() - asked);
      if (now) last = now;
    }
    const memory = memoryOf(api.pid);
    const watchedS = (performance.now() - api.spawnedAt) / 1000;
    record({
      section: 'start',
      what: `start the API (its own process) on ${fmt(first.head)} events, empty read models: listening`,
      value: `${fmt(api.listenedMs)} ms`,
      reference: `empty data folder ${fmt(emptyMs)} ms`,
      ratio: ratio(api.listenedMs, emptyMs),
      goal: '< 2,000 ms',
    });
    record({
      section: 'start',
      what: '  /health answers with the catch-up and its lag',
      value: `${fmt(answeredMs)} ms`,
      reference: `lag ${fmt(first.lag)}`,
      ratio: '',
      goal: '< 2,000 ms',
    });
    record({
      section: 'start',
      what: `  /health during the catch-up: slowest answer over ${fmt(watchedS)} s`,
      value: `${fmt(slowestHealth)} ms`,
      reference: `caught up ${fmt(first.lag - last.lag)} events (${fmt((first.lag - last.lag) / watchedS)} ev/s), lag ${fmt(last.lag)}`,
      ratio: '',
      goal: 'answers',
    });
    record({
      section: 'start',
      what: '  peak RSS of the API process while it catches up (its own)',
      value: `${fmt(Math.max(memory?.peak ?? 0, maxRss))} MB`,
      reference: `resident at the end ${fmt(memory?.rss ?? maxRss)} MB`,
      ratio: '',
      goal: '< 300 MB',
    });
  } finally {
    await api.stop();
  }
}

/** The built API (dist/apps/api/src/main.js) as its own process on `dataDir`, once it says it listens. */
const spawnApi = async (dataDir: string) => {
  const port = await freePort();
  // Compiled to dist/bench/: the API's entry point is dist/apps/api/src/main.js.
  const entry = join(__dirname, '..', 'apps', 'api', 'src', 'main.js');
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [entry], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'silent',
      RATE_LIMIT: 'off',
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited: number | null = null;
  let output = '';
  const gone = new Promise<void>((resolve) =>
    child.on('exit', (code) => {
      exited = code ?? -1;
      resolve();
    }),
  );
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const listening = new Promise<number>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) resolve(performance.now() - spawnedAt);
    }),
  );
  const stop = async () => {
    if (exited !== null) return;
    child.kill('SIGTERM');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
    if (exited === null) child.kill('SIGKILL');
  };
  const listenedMs = await Promise.race([listening, gone.then(() => NaN), new Promise<number>((r) => setTimeout(() => r(NaN), 120_000))]);
  if (Number.isNaN(listenedMs)) {
    await stop();
    throw new Error(`the API did not listen: ${output.slice(-500)}`);
  }
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    spawnedAt,
    listenedMs,
    running: () => exited === null,
    output: () => output,
    stop,
  };
};

if (require.main === module) {
  // `npm run bench:http`: the HTTP figures and the order curve.
  const quick = process.env.BENCH_QUICK === '1';
  runHttpBenchmarks({ quick })
    .then(() => runOrderCurve({ quick }))
    .then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
}
