import { Logger } from '@nestjs/common';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
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

const hasBody = (req: Request): boolean => {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
};

const isJsonType = (req: Request): boolean => {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
};

/**
 * The body pipeline: compressed bodies and non-JSON types are refused (415) before anything is
 * read, JSON is parsed with a size and depth bound, and prototype keys are refused (blank
 * strings are refused by the validation pipe, beside every other field error). Every refusal here happens before any handler runs, so it cannot write.
 */
export const jsonBodyPipeline = (): RequestHandler[] => [
  (req: Request, _res: Response, next: NextFunction) => {
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && String(encoding).trim().toLowerCase() !== 'identity') {
      logger.warn(`refused ${req.method} ${req.originalUrl}: Content-Encoding ${String(encoding).slice(0, 40)}`);
      return next(
        new EarlyRefusal(
          415,
          'UnsupportedContentEncoding',
          'Compressed request bodies are not accepted; send plain JSON without Content-Encoding',
        ),
      );
    }
    if (hasBody(req) && !isJsonType(req)) {
      return next(new EarlyRefusal(415, 'UnsupportedMediaType', 'Request bodies must be application/json'));
    }
    next();
  },
  express.json({
    limit: MAX_BODY_BYTES,
    strict: true,
    type: (req) => isJsonType(req as Request),
    verify: (_req, _res, raw) => {
      if (jsonDepthExceeds(raw, MAX_BODY_DEPTH)) {
        throw new EarlyRefusal(400, 'BodyTooDeep', `The request body nests deeper than ${MAX_BODY_DEPTH} levels`);
      }
    },
  }),
  (req: Request, _res: Response, next: NextFunction) => {
    if (req.body === undefined) return next();
    const defects = bodyDefects(req.body, { forbiddenKeys: true, blankStrings: false });
    if (defects.length > 0) return next(new EarlyRefusal(400, 'ValidationFailed', 'Request validation failed', defects));
    next();
  },
];

/** Correlation and causation ids a client may send: short, and safe to log and echo. */
export const TRACE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Headers checked before anything else: a malformed X-Correlation-Id or X-Causation-Id is
 * refused (400) rather than logged, echoed or stored.
 */
export const traceHeaderCheck = (): RequestHandler => (req: Request, _res: Response, next: NextFunction) => {
  for (const name of ['x-correlation-id', 'x-causation-id']) {
    const value = req.headers[name];
    if (value !== undefined && (typeof value !== 'string' || !TRACE_ID.test(value))) {
      return next(
        new EarlyRefusal(400, 'ValidationFailed', 'Request validation failed', [
          { field: `header:${name}`, reason: 'must be 1 to 128 letters, digits, . _ : or -' },
        ]),
      );
    }
  }
  next();
};

/**
 * Every request's correlation id: the client's valid X-Correlation-Id, or a new one; kept on the
 * request (the commands' metadata, the request log) and echoed in the answer. Runs after
 * traceHeaderCheck has refused malformed ids.
 */
export const correlationIds = (): RequestHandler => (req: Request, res: Response, next: NextFunction) => {
  const incoming = req.headers['x-correlation-id'];
  const id = typeof incoming === 'string' && TRACE_ID.test(incoming) ? incoming : randomUUID();
  (req as unknown as { correlationId: string }).correlationId = id;
  res.setHeader('X-Correlation-Id', id);
  next();
};

/** API answers are personal and change with every write: never stored by a cache. */
export const noStoreOnApi = (): RequestHandler => (req: Request, res: Response, next: NextFunction) => {
  if (req.path.startsWith('/api')) res.setHeader('Cache-Control', 'no-store');
  next();
};
