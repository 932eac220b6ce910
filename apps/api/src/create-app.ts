import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppConfig, applyErrorHeaders, bodyHeadersRefusal, correlationIdOf, correlationIds } from '@salesline/core';
import { jsonBodyPipeline, noStoreOnApi } from '@salesline/core';
import { openEventStore, openReadStore, ShapedAnswersExpressAdapter, toErrorBody, TokenService, traceHeaderCheck } from '@salesline/core';
import { JSON_TYPE, MAX_BODY_BYTES, parseJsonBody, pathOf, ROUTE, ShapedAnswersFastifyAdapter, traceHeadersRefusal } from '@salesline/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { allUpcasters } from '@salesline/composition';
import { AppModule } from './app.module';
import { serveDashboard, serveDashboardOnFastify } from './dashboard';
import { withValidationConstraints } from './openapi-constraints';

/** Builds the HTTP application on the configured stores and HTTP platform (used by main and by the e2e suites). */
export const createApp = async (config: AppConfig): Promise<INestApplication> => {
  const eventStore = await openEventStore(config, allUpcasters);
  const readStore = await openReadStore(config);
  const module = AppModule.forRoot(config, eventStore, readStore);
  const app = config.httpPlatform === 'express' ? await onExpress(module) : await onFastify(module);
  // Stalled uploads: a request must arrive whole within requestTimeout, its headers within headersTimeout,
  // and a socket that sends nothing for as long is closed.
  const server = app.getHttpServer() as import('node:http').Server;
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(config.headersTimeoutMs, config.requestTimeoutMs);
  server.setTimeout(config.requestTimeoutMs);
  app.enableShutdownHooks();
  // Built on the first /docs or /docs-json request, not before listening: walking every controller
  // and DTO is about a seventh of the start-up's CPU, and a server must answer /health within 2 s.
  SwaggerModule.setup('docs', app, () => openApiDocumentOf(app), { jsonDocumentUrl: 'docs-json' });
  return app;
};

type AppModuleOf = ReturnType<typeof AppModule.forRoot>;

/** The docs page needs its inline styles and scripts; every other answer gets helmet's strict defaults. */
const securityHeaders = () => {
  const strict = fixedHeaders(helmet());
  const docs = fixedHeaders(helmet({ contentSecurityPolicy: false }));
  return (path: string) => (path.startsWith('/docs') ? docs : strict);
};

/**
 * Fastify: every request first gets its security headers, `Cache-Control: no-store` under /api and its correlation id,
 * then the trace headers and a body's headers are checked (400, 415) before anything is read, in one hook that runs
 * before any middleware. The headers go to Node's answer, so every answer carries them: replies, refusals, 404s and
 * server-sent events. Bodies are read by one JSON parser, with the size and depth bounds and the prototype-key refusal
 * (request-hygiene.ts); refusals before Nest's handlers reach the same error filter as the handlers' own.
 */
const onFastify = async (module: AppModuleOf): Promise<INestApplication> => {
  const adapter = new ShapedAnswersFastifyAdapter({
    bodyLimit: MAX_BODY_BYTES,
    // As Express: a trailing slash names the same route, and a long id is the handler's to refuse (400), not the router's.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    // The request's id (the request log's, through the middleware) is its correlation id.
    genReqId: (raw: import('node:http').IncomingMessage) => {
      const request = raw as typeof raw & { correlationId?: string };
      return (request.correlationId ??= correlationIdOf(raw.headers));
    },
  });
  const headersFor = securityHeaders();
  adapter.setOnRequestHook((request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    const raw = reply.raw;
    const path = pathOf(request.raw);
    for (const [name, value] of headersFor(path)) raw.setHeader(name, value);
    if (path.startsWith('/api')) raw.setHeader('Cache-Control', 'no-store');
    const refused = traceHeadersRefusal(request.headers);
    if (refused) return done(refused);
    const id = request.id;
    (request as unknown as { correlationId: string }).correlationId = id;
    raw.setHeader('X-Correlation-Id', id);
    if (!request.is404 && request.routeOptions.url !== undefined) (request.raw as { [ROUTE]?: string })[ROUTE] = request.routeOptions.url;
    done(bodyHeadersRefusal(request.method, request.url, request.headers) ?? undefined);
  });
  const app = await NestFactory.create(module, adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_TYPE, { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (request, raw, done) => {
    try {
      done(null, parseJsonBody(raw as Buffer, request.headers['content-type']));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  serveDashboardOnFastify(fastify);
  return app;
};

/** Express (HTTP_PLATFORM=express): the same pipeline as middleware. */
const onExpress = async (module: AppModuleOf): Promise<INestApplication> => {
  const app = await NestFactory.create(module, new ShapedAnswersExpressAdapter(), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  const express = app.getHttpAdapter().getInstance() as { disable(setting: string): void; set(setting: string, value: unknown): void };
  express.disable('x-powered-by');
  // No ETag computed from answer bodies: API answers are Cache-Control: no-store (no copy is kept to
  // revalidate), health answers change, and hashing every body cost a few per cent of a GET.
  // Static files (the dashboard, the docs page's assets) keep the ETag express.static gives them.
  express.set('etag', false);
  const headersFor = securityHeaders();
  app.use((req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of headersFor(req.path)) res.setHeader(name, value);
    next();
  });
  app.use(noStoreOnApi());
  app.use(traceHeaderCheck());
  app.use(correlationIds());
  app.use(...jsonBodyPipeline());
  // Body-parser failures happen before Nest's filters: answer them in the same error shape.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const body = toErrorBody(err);
    if (body.statusCode >= 500) app.get(Logger).error(err instanceof Error ? err.stack : String(err));
    applyErrorHeaders(res, body);
    res.status(body.statusCode).json(body);
  });
  serveDashboard(app);
  return app;
};

/**
 * The headers a helmet configuration sets, computed once: with its default (static) options helmet
 * writes the same headers on every answer, and setting them from a list costs a fraction of its
 * thirteen middleware calls per request.
 */
const fixedHeaders = (middleware: ReturnType<typeof helmet>): [string, string][] => {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let done = false;
  middleware({} as Request, recorder as unknown as Response, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  if (!done) throw new Error('helmet did not finish synchronously: its headers cannot be computed once');
  return [...headers];
};

/** The OpenAPI document of an application (served at /docs-json; linted by `npm run lint:openapi`). */
export const openApiDocumentOf = (app: INestApplication): OpenAPIObject =>
  withCommonResponses(
    withValidationConstraints(
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('Salesline API')
          .setDescription(
            'Event-sourced sales management: every change is an event. Commands answer with the global `position` of their last event; ' +
              'pass it as `?minPosition=` to a query to read your own write. Errors: 400 ValidationFailed with `errors[{field, reason}]`, ' +
              '401/403, 404, 409 (conflicts, ConcurrencyConflict) and 422 (business rules) with a stable `code`.',
          )
          .setVersion('1.0')
          .addBearerAuth({
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT (HS256) access token, slk_ API key, or the bootstrap admin token',
            description:
              'Access tokens are JWTs (HS256) from POST /api/auth/tokens or /api/auth/refresh with claims sub, jti, iat, exp, iss=salesline, typ=access; ' +
              "they carry no roles (the user's current roles are looked up on every request) and are checked against the revocation log on every request. " +
              'Integrations use API keys `slk_<keyId>.<secret>` from POST /api/auth/api-keys (no expiry, revocable). ' +
              'The bootstrap admin token is opaque and can be rotated with POST /api/auth/admin-token/rotate.',
          })
          .setLicense('Proprietary', 'https://example.invalid/salesline-license')
          .build(),
      ),
    ),
  );

const ERROR_BODY = { $ref: '#/components/schemas/ErrorBody' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_BODY } } });

/**
 * The answers every operation can give, whatever its controller says: 400 (validation, headers),
 * 401/403 and 429 on authenticated ones, 413/415 where a body is read. Public operations say so
 * with an empty security list.
 */
const withCommonResponses = (doc: OpenAPIObject): OpenAPIObject => {
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas.ErrorBody = {
    type: 'object',
    required: ['statusCode', 'error', 'code', 'message'],
    properties: {
      statusCode: { type: 'integer', minimum: 400, maximum: 599 },
      error: { type: 'string', maxLength: 100 },
      code: { type: 'string', maxLength: 100, pattern: '^[A-Za-z]+$', description: 'Stable, named error code' },
      message: { type: 'string', maxLength: 2000 },
      errors: {
        type: 'array',
        description: 'ValidationFailed: each field and why',
        items: { type: 'object', properties: { field: { type: 'string', maxLength: 200 }, reason: { type: 'string', maxLength: 500 } } },
      },
    },
  };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (!op) continue;
      const responses = (op.responses ??= {}) as Record<string, unknown>;
      const isPublic = !path.startsWith('/api') || path === '/api/auth/refresh';
      if (isPublic) op.security = [];
      if (path.startsWith('/api')) {
        responses['400'] ??= errorResponse('ValidationFailed (with errors[{field, reason}]), BodyNotAllowed, BodyTooDeep, InvalidJson');
        if (!isPublic) {
          responses['401'] ??= errorResponse('Unauthenticated, InvalidToken, TokenExpired, TokenRevoked (with WWW-Authenticate)');
          responses['403'] ??= errorResponse('RoleRequired, OutOfScope (docs/security.md)');
        }
        responses['429'] ??= errorResponse('RateLimited (with Retry-After)');
        if (op.requestBody) {
          responses['413'] ??= errorResponse('PayloadTooLarge');
          responses['415'] ??= errorResponse('UnsupportedMediaType, UnsupportedContentEncoding');
        }
      } else {
        responses['429'] ??= errorResponse('RateLimited (with Retry-After)');
        responses['503'] ??= errorResponse('A store does not answer');
      }
      if (!Object.keys(responses).some((code) => code.startsWith('2'))) responses['200'] = { description: 'OK' };
    }
  }
  return doc;
};

export const adminTokenNotice = (app: INestApplication, config: AppConfig): string | null => {
  const tokens = app.get(TokenService);
  return tokens.generatedAdminToken
    ? `Generated the bootstrap admin token (stored in ${config.dataDir}/admin-token; shown only this once): ${tokens.adminToken}`
    : null;
};
