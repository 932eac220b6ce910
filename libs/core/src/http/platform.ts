import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/**
 * What the API's own HTTP code reads of a request and writes to an answer, whatever the platform under Nest
 * (Fastify, or Express for the bare references of the benchmark): a Fastify request or reply, an Express
 * request or response, or Node's own (in a middleware or a hook). One place knows the differences.
 */
export type HttpRequest = {
  method?: string;
  url?: string;
  /** Express: the path without the query string. */
  path?: string;
  headers: IncomingHttpHeaders;
  query?: Record<string, unknown>;
  params?: Record<string, unknown>;
  body?: unknown;
  ip?: string;
  socket?: { remoteAddress?: string };
  /** Fastify: Node's request. */
  raw?: IncomingMessage;
  /** Fastify: the route that matched (its template). */
  routeOptions?: { url?: string };
  /** Express: the route that matched, under the router's base. */
  route?: { path?: unknown };
  baseUrl?: string;
};

/** A handler's answer, as Nest gives it with `@Res()`: a Fastify reply or an Express response. */
export type HttpAnswer = {
  /** Fastify: Node's answer. */
  raw?: ServerResponse;
  header(name: string, value: string): unknown;
  type(contentType: string): unknown;
};

/** The template of the route that matched (`/api/customers/:id`), so ids do not explode labels and hashes; undefined when none did. */
export const routeOf = (request: HttpRequest): string | undefined => {
  if (request.routeOptions?.url !== undefined) return request.routeOptions.url;
  if (request.route?.path !== undefined) return `${request.baseUrl ?? ''}${String(request.route.path)}`;
  return (request as { [ROUTE]?: string })[ROUTE];
};

/** Where Fastify's hook leaves the matched route on Node's request, for code that sees only that (middleware). */
export const ROUTE = Symbol('salesline.route');

/** The path of a request, without its query string. */
export const pathOf = (request: Pick<HttpRequest, 'url' | 'path'>): string => {
  if (typeof request.path === 'string') return request.path;
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};

/** Node's request and answer under a platform's: what a stream (server-sent events) writes to. */
export const rawRequestOf = (request: HttpRequest): IncomingMessage => request.raw ?? (request as unknown as IncomingMessage);

/**
 * Takes an answer out of the platform's hands so that the handler writes it itself on Node's answer (server-sent
 * events): Fastify is told (`hijack`), Express's response is Node's.
 */
export const takeOverAnswer = (answer: HttpAnswer): ServerResponse => {
  const reply = answer as HttpAnswer & { hijack?: () => void };
  if (reply.raw) {
    reply.hijack?.();
    return reply.raw;
  }
  return answer as unknown as ServerResponse;
};

/** Whether an answer's headers have gone out (a stream, a reply already sent): nothing more can be said then. */
export const answerStarted = (answer: HttpAnswer): boolean => {
  const reply = answer as HttpAnswer & { sent?: boolean; headersSent?: boolean };
  return reply.raw ? reply.sent === true || reply.raw.headersSent : reply.headersSent === true;
};
