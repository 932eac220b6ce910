import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Response } from 'express';
import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import { listAsCsv, wantsCsv } from './csv';
import { pathOf, type HttpRequest } from './platform';
import { withoutInternalFields } from './read-models';

/**
 * An answer already shaped and serialized as the JSON `shapeAnswer` would write (`jsonAnswerText`),
 * by a worker thread (issue 13): the request thread only writes its text, rather than receiving the object by
 * structured clone, walking it for internal fields and serializing it on the event loop.
 */
export class JsonAnswer {
  constructor(readonly text: string) {}
}

/** The JSON text of a GET answer as `shapeAnswer` gives it without `?internal=true`. */
export const jsonAnswerText = (body: unknown): string => JSON.stringify(withoutInternalFields(body));

/**
 * What a GET handler's answer becomes before it is written, in one place rather than per controller:
 * - without the read models' internal fields (`_position`, `updatedAt`), unless `?internal=true` asks for
 *   them (operators, debugging); the auditors' raw event streams (`/api/streams`) are served as recorded;
 * - as CSV when the client asks for it (`Accept: text/csv`): a list answer is converted, a handler that
 *   writes its own CSV (fixed columns) returns a string that passes through.
 * Any other answer (other methods, refusals, strings) is left as it is.
 */
export const shapeAnswer = (request: HttpRequest, response: { type(contentType: string): unknown }, body: unknown): unknown => {
  if (body instanceof JsonAnswer) {
    response.type('application/json');
    return body.text;
  }
  if (request.method !== 'GET' || body === null || typeof body !== 'object') return body;
  const shaped = request.query?.internal === 'true' || pathOf(request).startsWith('/api/streams') ? body : withoutInternalFields(body);
  if (!wantsCsv(request.headers.accept)) return shaped;
  const csv = listAsCsv(shaped);
  if (csv === null) return shaped;
  response.type('text/csv');
  return csv;
};

/**
 * The platform, with every handler's answer shaped by `shapeAnswer` where Nest writes it (`reply`), instead of
 * by global interceptors: an interceptor makes Nest wrap every request of every route in rxjs
 * observables (about 10 µs per request for the two that did this, against 0.3 µs with none), where
 * this is one call. Nest replies this way to what a handler returns (also with `@Res({ passthrough: true })`),
 * not to what a handler writes itself with `@Res()`, and the error filter writes refusals itself (HttpErrorFilter):
 * the answers the interceptors shaped, and only those.
 */
export class ShapedAnswersFastifyAdapter extends FastifyAdapter {
  override reply(response: FastifyReply | ServerResponse, body: unknown, statusCode?: number): FastifyReply {
    if (!('request' in response)) return super.reply(response, body, statusCode);
    const shaped = shapeAnswer(response.request as unknown as HttpRequest, response, body);
    // As Express writes a text answer (CSV): in UTF-8, and saying so (Fastify adds the charset to JSON types only).
    const type = response.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/') && !/;\s*charset=/i.test(type)) response.type(`${type}; charset=utf-8`);
    return super.reply(response, shaped, statusCode);
  }
}

/** The same on Express (HTTP_PLATFORM=express: the platform the API ran on before ADR 0032, kept for the comparison). */
export class ShapedAnswersExpressAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    return super.reply(response, response.req ? shapeAnswer(response.req, response, body) : body, statusCode);
  }
}
