import { HttpException, ServiceUnavailableException } from '@nestjs/common';
import { DomainError, DomainErrorKind } from '@salesline/shared-kernel';
import { existsSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, Worker, workerData } from 'node:worker_threads';

/**
 * Heavy read-only queries (a year's reports) off the event loop (issue 13: a heavy report must not block other
 * requests). A worker thread opens its own connection to the SQLite read models (WAL lets readers run beside the
 * writer) and answers the queries its entry module serves (`serveReads`); the request thread waits for
 * `?minPosition=` first, so what the worker reads includes every write the caller saw acknowledged. The answer, or
 * the refusal (a DomainError or an HttpException, e.g. 404 or 400), comes back as the in-process call would give it.
 */
export type ReadWorkerData = Readonly<{ readModelsFile: string }>;

type Refusal =
  | { error: 'domain'; code: string; message: string; kind: DomainErrorKind; details?: Record<string, unknown> }
  | { error: 'http'; response: string | object; status: number }
  | { error: 'failure'; message: string };
type Request = { id: number; method: string; args: unknown };
type Reply = { id: number; result?: unknown; refusal?: Refusal };

const refusalOf = (err: unknown): Refusal => {
  if (err instanceof DomainError) return { error: 'domain', code: err.code, message: err.message, kind: err.kind, details: err.details };
  if (err instanceof HttpException) return { error: 'http', response: err.getResponse(), status: err.getStatus() };
  return { error: 'failure', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
};

const errorOf = (refusal: Refusal): Error => {
  switch (refusal.error) {
    case 'domain':
      return new DomainError(refusal.code, refusal.message, refusal.kind, refusal.details);
    case 'http':
      return new HttpException(refusal.response, refusal.status);
    case 'failure':
      return new Error(`read worker: ${refusal.message}`);
  }
};

/**
 * The worker thread's nice value (ADR 0031): a heavy read takes the CPU the request thread leaves, so that on a machine
 * with few cores a stream of reports does not slow the light requests beside it.
 */
export const READ_WORKER_NICE = 10;

/**
 * Lowers the calling thread's CPU priority to `nice` (never raises it). On Linux the nice value belongs to a thread, and
 * `/proc/thread-self` names it; elsewhere (or if the system refuses) the thread keeps its priority.
 */
export const lowerThreadPriority = (nice: number): void => {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && getPriority(tid) < nice) setPriority(tid, nice);
  } catch {
    // not Linux, or not allowed: the same answers, at the same priority as the request thread
  }
};

const busy = (limit: number) =>
  new ServiceUnavailableException({
    code: 'ReportsBusy',
    message: `${limit} reports are being answered or waiting; retry in ${READ_WORKER_RETRY_AFTER_SECONDS} s`,
    retryAfterSeconds: READ_WORKER_RETRY_AFTER_SECONDS,
  });

/** In the worker's entry module: answer each request with the handler its method names, below the request thread's priority. */
export const serveReads = (handlers: (data: ReadWorkerData) => Record<string, (args: never) => Promise<unknown>>): void => {
  if (!parentPort) throw new Error('serveReads runs in a worker thread');
  const port = parentPort;
  lowerThreadPriority(READ_WORKER_NICE);
  const served = handlers(workerData as ReadWorkerData);
  port.on('message', (request: Request) => {
    const handler = served[request.method];
    const answer = handler ? handler(request.args as never) : Promise.reject(new Error(`no read ${request.method}`));
    answer.then(
      (result) => port.postMessage({ id: request.id, result } satisfies Reply),
      (err: unknown) => port.postMessage({ id: request.id, refusal: refusalOf(err) } satisfies Reply),
    );
  });
};

/**
 * The request thread's side: one worker running `entry` (a built `.js` module that calls `serveReads`); requests are
 * answered in turn, so a burst of reports queues there instead of on the event loop. `null` where a worker cannot run
 * the compiled entry (the TypeScript sources under jest): the caller answers in process.
 */
/**
 * How many requests may wait in (or run on) one worker (ADR 0031). One more is refused at once, 503 `ReportsBusy` with
 * `Retry-After`, rather than queued behind seconds of reports while its client has perhaps given up.
 */
export const READ_WORKER_QUEUE_LIMIT = 32;
/** The `Retry-After` of a `ReportsBusy` refusal, in seconds. */
export const READ_WORKER_RETRY_AFTER_SECONDS = 1;

export class ReadWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private next = 0;
  /** False once the worker has failed or stopped: callers answer in process again. */
  alive = true;

  private constructor(
    private readonly entry: string,
    private readonly data: ReadWorkerData,
    private readonly queueLimit: number,
  ) {}

  /** Started on the first request: a process that never asks (the projector) loads nothing. */
  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.entry, { workerData: this.data });
    // It holds no timer or socket of its own: the process may exit while it idles.
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.refusal) waiting.reject(errorOf(reply.refusal));
      else waiting.resolve(reply.result);
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) => this.failAll(new Error(`read worker exited (${code})`)));
    return (this.worker = worker);
  }

  static start(entry: string, data: ReadWorkerData, queueLimit = READ_WORKER_QUEUE_LIMIT): ReadWorker | null {
    if (!entry.endsWith('.js') || !existsSync(entry)) return null;
    return new ReadWorker(entry, data, queueLimit);
  }

  /** The request's answer from the worker; refused 503 `ReportsBusy` (with `retryAfterSeconds`) when its queue is full. */
  run<T>(method: string, args: unknown): Promise<T> {
    if (this.pending.size >= this.queueLimit) return Promise.reject(busy(this.queueLimit));
    const id = this.next++;
    const answer = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.started().postMessage({ id, method, args } satisfies Request);
    });
    // A worker that stops fails every waiting request at once, possibly before its caller has attached a handler
    // (several requests sent together, or a request whose caller went away at shutdown): such a refusal must not
    // surface as an unhandled rejection, which ends the whole process. The caller still receives it.
    answer.catch(() => undefined);
    return answer;
  }

  private failAll(err: Error): void {
    this.alive = false;
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.alive = false;
    await this.worker?.terminate();
  }
}
