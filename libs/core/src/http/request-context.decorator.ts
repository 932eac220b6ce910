import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Actor } from '@salesline/shared-kernel';
import { createHash, randomUUID } from 'node:crypto';
import { RequestContext } from '../commands/request-context';
import { TRACE_ID } from './request-hygiene';
import { pathOf, routeOf, type HttpRequest } from './platform';

const HEADER_VALUE = /^[\x21-\x7E]{1,200}$/;

const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

const header = (
  request: HttpRequest,
  name: string,
  pattern = HEADER_VALUE,
  rule = 'must be 1 to 200 visible ASCII characters',
): string | undefined => {
  const value = request.headers[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new BadRequestException({
      code: 'ValidationFailed',
      message: 'Request validation failed',
      errors: [{ field: `header:${name}`, reason: rule }],
    });
  }
  return value;
};
const TRACE_RULE = 'must be 1 to 128 letters, digits, . _ : or -';

/** Builds the request context: the authenticated actor (never from the body), correlation, idempotency. */
export const requestContextOf = (request: HttpRequest & { actor?: Actor; correlationId?: string }): RequestContext => {
  const actor = request.actor;
  if (!actor) throw new Error('request context needs an authenticated route');
  const now = new Date().toISOString();
  const idempotencyKey = header(request, 'idempotency-key');
  const route = `${request.method} ${routeOf(request) ?? pathOf(request)}`;
  return {
    actor,
    correlationId: request.correlationId ?? header(request, 'x-correlation-id', TRACE_ID, TRACE_RULE) ?? randomUUID(),
    causationId: header(request, 'x-causation-id', TRACE_ID, TRACE_RULE) ?? null,
    now,
    today: now.slice(0, 10),
    idempotencyKey,
    requestHash: idempotencyKey
      ? createHash('sha256')
          .update(`${route}\n${JSON.stringify(request.params ?? {})}\n${canonicalJson(request.body ?? null)}`)
          .digest('hex')
      : undefined,
  };
};

/** `@Ctx() ctx: RequestContext` in a controller method. */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext) => requestContextOf(context.switchToHttp().getRequest()));
