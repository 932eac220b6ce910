import { Logger } from '@nestjs/common';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { FieldError } from './errors';
import { EarlyRefusal } from './early-refusal';

/** How deep a JSON body may nest: far beyond any DTO here, far below what overflows class-transformer. */
export const MAX_BODY_DEPTH = 16;
/** Largest JSON body accepted (a price list of a few thousand items fits). */
export const MAX_BODY_BYTES = 512 * 1024;
/** Keys that reach prototypes through class-transformer or object spreads. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const logger = new Logger('RequestHygiene');

/**
 * The nesting depth of a JSON text, counted on the raw bytes before it is parsed, so a body of
 * thousands of levels is refused before anything recurses over it.
 */
export const jsonDepthExceeds = (raw: Buffer, limit: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
};

/**
 * Walks a parsed body iteratively (its depth is already bounded) and names each string that is
 * only white space (a blank name or reason) and, with `forbiddenKeys`, each prototype key.
 */
export const bodyDefects = (body: unknown, options: { forbiddenKeys: boolean; blankStrings: boolean }): FieldError[] => {
  const errors: FieldError[] = [];
  const stack: Array<{ value: unknown; path: string }> = [{ value: body, path: '' }];
  while (stack.length > 0 && errors.length < 50) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (options.blankStrings && value.length > 0 && value.trim() === '')
        errors.push({ field: path || 'body', reason: 'must not be blank' });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: `${path}[${i}]` }));
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        const field = path ? `${path}.${key}` : key;
        if (options.forbiddenKeys && FORBIDDEN_KEYS.has(key)) errors.push({ field, reason: 'is a reserved key and not allowed' });
        else stack.push({ value: (value as Record<string, unknown>)[key], path: field });
      }
    }
  }
  return errors;
};

const hasBody = (headers: IncomingHttpHeaders): boolean => {
  const length = headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return headers['transfer-encoding'] !== undefined;
};

/** application/json and any `application/…+json` type. */
export const JSON_TYPE = /^application\/(json|[a-z0-9.+-]+\+json)$/;

const mediaTypeOf = (headers: IncomingHttpHeaders): string => (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

/**
 * The refusals of a body decided on the headers alone, before anything is read: a compressed body, or a body that
 * is not JSON (415). Null when the body may be read.
 */
export const bodyHeadersRefusal = (
  method: string | undefined,
  url: string | undefined,
  headers: IncomingHttpHeaders,
): EarlyRefusal | null => {
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && String(encoding).trim().toLowerCase() !== 'identity') {
    logger.warn(`refused ${method} ${url}: Content-Encoding ${String(encoding).slice(0, 40)}`);
    return new EarlyRefusal(
      415,
      'UnsupportedContentEncoding',
      'Compressed request bodies are not accepted; send plain JSON without Content-Encoding',
    );
  }
  if (hasBody(headers) && !JSON_TYPE.test(mediaTypeOf(headers))) {
    return new EarlyRefusal(415, 'UnsupportedMediaType', 'Request bodies must be application/json');
  }
  return null;
};

/** What is left of a body after its refusals by the bytes (depth) and by the parsed value (prototype keys). */
const checkedBody = (body: unknown): unknown => {
  if (body === undefined) return body;
  const defects = bodyDefects(body, { forbiddenKeys: true, blankStrings: false });
  if (defects.length > 0) throw new EarlyRefusal(400, 'ValidationFailed', 'Request validation failed', defects);
  return body;
};

const depthCheck = (raw: Buffer): void => {
  if (jsonDepthExceeds(raw, MAX_BODY_DEPTH)) {
    throw new EarlyRefusal(400, 'BodyTooDeep', `The request body nests deeper than ${MAX_BODY_DEPTH} levels`);
  }
};

/** A JSON text begins with an object or an array here (strict, as body-parser's `strict`): `"text"`, `42` and `null` are refused. */
const STRICT_START = /^[\x20\x09\x0a\x0d]*[{[]/;

/**
 * A JSON body read whole (at most MAX_BODY_BYTES, which the platform bounds): refused when it nests deeper than
 * MAX_BODY_DEPTH (counted on the bytes, before parsing), when it is not strict JSON (400 InvalidJson), when its
 * charset is not UTF-8 (415), or when it carries prototype keys (400 ValidationFailed). An empty body is no body.
 */
export const parseJsonBody = (raw: Buffer, contentType: string | undefined): unknown => {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new EarlyRefusal(415, 'UnsupportedEncoding', `unsupported charset "${charset.toUpperCase()}"`);
  }
  if (raw.length === 0) return undefined;
  depthCheck(raw);
  const text = raw.toString('utf8');
  let body: unknown;
  try {
    if (!STRICT_START.test(text)) throw new SyntaxError('not an object or an array');
    body = JSON.parse(text);
  } catch {
    throw new EarlyRefusal(400, 'InvalidJson', 'The request body is not valid JSON');
  }
  return checkedBody(body);
};

/**
 * The body pipeline on Express: compressed bodies and non-JSON types are refused (415) before anything is
 * read, JSON is parsed with a size and depth bound, and prototype keys are refused (blank
 * strings are refused by the validation pipe, beside every other field error). Every refusal here happens before any handler runs, so it cannot write.
 */
export const jsonBodyPipeline = (): RequestHandler[] => [
  (req: Request, _res: Response, next: NextFunction) => {
    const refusal = bodyHeadersRefusal(req.method, req.originalUrl, req.headers);
    if (refusal) return next(refusal);
    next();
  },
  express.json({
    limit: MAX_BODY_BYTES,
    strict: true,
    type: (req) => JSON_TYPE.test(mediaTypeOf((req as Request).headers)),
    verify: (_req, _res, raw) => depthCheck(raw),
  }),
  (req: Request, _res: Response, next: NextFunction) => {
    try {
      checkedBody(req.body);
    } catch (err) {
      return next(err);
    }
    next();
  },
];

/** Correlation and causation ids a client may send: short, and safe to log and echo. */
export const TRACE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Headers checked before anything else: a malformed X-Correlation-Id or X-Causation-Id is
 * refused (400) rather than logged, echoed or stored. Null when they are well formed (or absent).
 */
export const traceHeadersRefusal = (headers: IncomingHttpHeaders): EarlyRefusal | null => {
  for (const name of ['x-correlation-id', 'x-causation-id']) {
    const value = headers[name];
    if (value !== undefined && (typeof value !== 'string' || !TRACE_ID.test(value))) {
      return new EarlyRefusal(400, 'ValidationFailed', 'Request validation failed', [
        { field: `header:${name}`, reason: 'must be 1 to 128 letters, digits, . _ : or -' },
      ]);
    }
  }
  return null;
};

export const traceHeaderCheck = (): RequestHandler => (req: Request, _res: Response, next: NextFunction) =>
  next(traceHeadersRefusal(req.headers) ?? undefined);

/** A request's correlation id: the client's valid X-Correlation-Id, or a new one. */
export const correlationIdOf = (headers: IncomingHttpHeaders): string => {
  const incoming = headers['x-correlation-id'];
  return typeof incoming === 'string' && TRACE_ID.test(incoming) ? incoming : randomUUID();
};

/**
 * Every request's correlation id: the client's valid X-Correlation-Id, or a new one; kept on the
 * request (the commands' metadata, the request log) and echoed in the answer. Runs after
 * traceHeaderCheck has refused malformed ids.
 */
export const correlationIds = (): RequestHandler => (req: Request, res: Response, next: NextFunction) => {
  const id = correlationIdOf(req.headers);
  (req as unknown as { correlationId: string }).correlationId = id;
  res.setHeader('X-Correlation-Id', id);
  next();
};

/** API answers are personal and change with every write: never stored by a cache. */
export const noStoreOnApi = (): RequestHandler => (req: Request, res: Response, next: NextFunction) => {
  if (req.path.startsWith('/api')) res.setHeader('Cache-Control', 'no-store');
  next();
};
