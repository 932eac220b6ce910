import type { IncomingMessage, ServerResponse } from 'node:http';
import { validationFailed } from './errors';
import { rawRequestOf, takeOverAnswer, type HttpAnswer, type HttpRequest } from './platform';

/**
 * Writes one server-sent event; when the socket's buffer is full it waits for it to drain (or for the client to
 * go), so a slow consumer holds its subscription back instead of piling events up in memory.
 */
export const writeServerSentEvent = async (
  req: IncomingMessage,
  res: ServerResponse,
  frame: Readonly<{ id: number; event: string; data: unknown }>,
): Promise<void> => {
  const ok = res.write(`id: ${frame.id}\nevent: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`);
  if (ok || res.writableEnded || req.destroyed) return;
  await new Promise<void>((resolve) => {
    res.once('drain', resolve);
    req.once('close', resolve);
  });
};

/** The position a reconnecting client names in `Last-Event-ID` (undefined without the header); 400 unless it is a position. */
export const lastEventIdOf = (header: string | undefined): number | undefined => {
  if (header === undefined) return undefined;
  if (!/^\d{1,15}$/.test(header)) {
    throw validationFailed([{ field: 'header:last-event-id', reason: 'must be a global position (a non-negative integer)' }]);
  }
  return Number(header);
};

/** Node's request and answer of a server-sent-events stream, which the handler writes itself. */
export type ServerSentEventsAnswer = Readonly<{ req: IncomingMessage; res: ServerResponse }>;

/**
 * Starts a server-sent-events answer: its headers, sent at once (no proxy buffering), the reconnect delay and a first
 * comment. The answer is the handler's from then on (taken from the platform): it writes on Node's answer returned.
 */
export const startServerSentEvents = (request: HttpRequest, answer: HttpAnswer, comment: string): ServerSentEventsAnswer => {
  const req = rawRequestOf(request);
  const res = takeOverAnswer(answer);
  res.statusCode = 200;
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache, no-transform');
  res.setHeader('connection', 'keep-alive');
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  res.write(`retry: 1000\n: ${comment}\n\n`);
  return { req, res };
};

/** An open server-sent-events stream: whether it has ended, and how to end it. */
export type ServerSentEventStream = Readonly<{ closed: boolean; stop: () => void }>;

/**
 * The lifetime of a server-sent-events stream: it ends once, when the client goes, the socket fails or `stop` is
 * called (also from `open`, the controller's set of streams ended on shutdown), and ending it clears the heartbeat,
 * unsubscribes and ends the answer. `heartbeat` runs every `heartbeatMs` until then.
 */
export const openServerSentEventStream = (
  { req, res }: ServerSentEventsAnswer,
  options: Readonly<{
    open: Set<() => void>;
    subscription: Readonly<{ unsubscribe: () => Promise<void> }>;
    heartbeatMs: number;
    heartbeat: (stream: ServerSentEventStream) => void;
  }>,
): ServerSentEventStream => {
  let closed = false;
  const stop = () => {
    if (closed) return;
    closed = true;
    options.open.delete(stop);
    clearInterval(timer);
    void options.subscription.unsubscribe();
    if (!res.writableEnded) res.end();
  };
  const stream: ServerSentEventStream = {
    get closed() {
      return closed;
    },
    stop,
  };
  const timer = setInterval(() => options.heartbeat(stream), options.heartbeatMs);
  options.open.add(stop);
  req.on('close', stop);
  res.on('error', stop);
  return stream;
};
