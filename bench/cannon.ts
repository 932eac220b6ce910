import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * The one HTTP load runner of the benchmarks: autocannon, in this process but on a worker thread of its
 * own, so the server keeps its event loop as in a deployment (on the server's thread the client took
 * 9-12 % of its profile). The bare NestJS references are measured by the same runner.
 */
export type CannonRequest = {
  method: 'GET' | 'POST';
  path: string;
  /** The body; a list is sent in turn, one entry per request; `{n}` in it becomes the request's number. */
  body?: string | string[];
};

export type CannonOptions = {
  seconds: number;
  connections: number;
  headers?: Record<string, string>;
  requests: CannonRequest[];
  /** a file to write a V8 CPU profile of this thread (the server) to, taken during the load only */
  cpuProfile?: string;
};

/** The part of autocannon's result used here (autocannon has no types of its own). */
export type CannonResult = {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  non2xx: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
};

export type CannonFigures = {
  rps: number;
  total: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  failed: number;
  /** the answers by status code, e.g. `201: 4000` */
  codes: string;
  /** the server thread's busy time (event-loop utilisation) per answer, in ms: steadier than req/s on a loaded machine */
  busyMs: number;
  /**
   * the server thread's CPU time per answer, in ms (Linux: the kernel's count for the process's main thread, which serves
   * the requests; the load runs on its own thread): what an answer costs, whatever else the machine runs; NaN elsewhere
   */
  cpuMs: number;
};

// Compiled beside this file (dist/bench/cannon-worker.js).
const WORKER = join(__dirname, 'cannon-worker.js');

export const cannon = async (url: string, { cpuProfile, ...options }: CannonOptions): Promise<CannonFigures> => {
  const session = cpuProfile ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const loop = performance.eventLoopUtilization();
  const cpuBefore = serverThreadCpuMs();
  const result = await new Promise<CannonResult>((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { url, ...options } });
    worker.once('message', (message: { result?: CannonResult; error?: string }) => {
      if (message.result) resolve(message.result);
      else reject(new Error(message.error));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the load worker exited (${code}) without a result`)));
  });
  const { active } = performance.eventLoopUtilization(loop);
  const cpu = serverThreadCpuMs() - cpuBefore;
  if (session && cpuProfile) {
    writeFileSync(cpuProfile, JSON.stringify((await session.post('Profiler.stop')).profile));
    session.disconnect();
  }
  return {
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    failed: result.errors + result.non2xx + result.timeouts,
    codes: Object.entries(result.statusCodeStats)
      .map(([code, { count }]) => `${code}: ${count}`)
      .join(', '),
    busyMs: active / Math.max(1, result.requests.total),
    cpuMs: cpu / Math.max(1, result.requests.total),
  };
};

/** The CPU time (user and system) of this process's main thread so far, in ms; NaN where /proc does not tell. */
const serverThreadCpuMs = (): number => {
  try {
    const stat = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command; in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
};
