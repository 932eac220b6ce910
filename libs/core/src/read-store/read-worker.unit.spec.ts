import { HttpException } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyErrorHeaders, toErrorBody } from '../http/errors';
import { READ_WORKER_RETRY_AFTER_SECONDS, ReadWorker } from './read-worker';

/**
 * The worker's queue is bounded (ADR 0031): past the limit a request is refused at once, 503 ReportsBusy with a time
 * to retry, instead of waiting behind every report already queued. The entry here speaks the worker's protocol and
 * answers each request after 100 ms, so that the requests sent together are all still waiting when the next arrives.
 */
describe('ReadWorker queue bound', () => {
  let dir: string;
  let worker: ReadWorker | null = null;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'salesline-read-worker-'));
    writeFileSync(
      join(dir, 'slow.js'),
      `const { parentPort } = require('node:worker_threads');
       parentPort.on('message', ({ id, args }) => setTimeout(() => parentPort.postMessage({ id, result: args }), 100));`,
    );
  });
  afterEach(() => worker?.close());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers as many requests as the queue holds and refuses the next one 503 ReportsBusy with Retry-After', async () => {
    worker = ReadWorker.start(join(dir, 'slow.js'), { readModelsFile: ':memory:' }, 3);
    const queued = [1, 2, 3].map((n) => worker!.run<number>('echo', n));
    const refused = await worker!.run('echo', 4).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(HttpException);
    const answer = toErrorBody(refused);
    expect(answer).toEqual(
      expect.objectContaining({ statusCode: 503, code: 'ReportsBusy', retryAfterSeconds: READ_WORKER_RETRY_AFTER_SECONDS }),
    );
    const headers: Record<string, string> = {};
    applyErrorHeaders({ header: (name: string, value: string) => (headers[name] = value) }, answer);
    expect(headers).toEqual({ 'Retry-After': String(READ_WORKER_RETRY_AFTER_SECONDS) });
    expect(await Promise.all(queued)).toEqual([1, 2, 3]);
    // Once the queue has drained, requests are taken again.
    expect(await worker!.run('echo', 5)).toBe(5);
  });
});
