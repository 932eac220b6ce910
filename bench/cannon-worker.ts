import { parentPort, workerData } from 'node:worker_threads';
import type { CannonOptions, CannonResult } from './cannon';

/** The load worker of bench/cannon.ts: runs autocannon on this thread and posts back its result. */
/* eslint-disable @typescript-eslint/no-require-imports */
type Histogram = unknown;
type RawResult = { latencies: string; requests: string; throughput: string };
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<RawResult>;
// Off the main thread autocannon answers its raw result (encoded histograms), for a parent to sum up:
// this thread is that parent, with autocannon's own summing, so the figures mean what they mean on the main thread.
const aggregateResult = require('autocannon/lib/aggregateResult') as (
  result: RawResult,
  options: Record<string, unknown>,
  histograms: { requests: Histogram; throughput: Histogram },
) => CannonResult;
const { decodeHist } = require('autocannon/lib/histUtil') as { decodeHist: (encoded: string) => Histogram };
/* eslint-enable @typescript-eslint/no-require-imports */

const { url, seconds, connections, headers, requests } = workerData as CannonOptions & { url: string };
let n = 0;
const next = (bodies: string[]) => {
  const body = bodies[n % bodies.length].replaceAll('{n}', String(n));
  n++;
  return body;
};

const options = {
  url,
  connections,
  duration: seconds,
  headers,
  requests: requests.map(({ method, path, body }) =>
    typeof body === 'string' && !body.includes('{n}')
      ? { method, path, body }
      : body === undefined
        ? { method, path }
        : { method, path, setupRequest: (req: object) => ({ ...req, body: next(Array.isArray(body) ? body : [body]) }) },
  ),
};
autocannon(options).then(
  (raw) => {
    const result = aggregateResult(raw, options, { requests: decodeHist(raw.requests), throughput: decodeHist(raw.throughput) });
    const { requests: r, latency, errors, non2xx, timeouts, statusCodeStats } = result;
    parentPort!.postMessage({ result: { requests: r, latency, errors, non2xx, timeouts, statusCodeStats } });
  },
  (error: unknown) => parentPort!.postMessage({ error: String(error) }),
);
