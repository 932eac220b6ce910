import { ArgumentMetadata, ArgumentsHost, BadRequestException, Catch } from '@nestjs/common';
import { ExceptionFilter, HttpException, Logger, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { getMetadataStorage, ValidationError, ValidationTypes, ValidatorOptions } from 'class-validator';
import { DomainError } from '@salesline/shared-kernel';
import type { Response } from 'express';
import { WrongExpectedRevisionError } from '../event-store/event-store.port';
import { EarlyRefusal } from './early-refusal';
import { bodyDefects } from './request-hygiene';
import { quickValidated } from './quick-validation';
import { memoizeValidationMetadata } from './validation-metadata';

export type FieldError = { field: string; reason: string };

const flatten = (errors: readonly ValidationError[], prefix = ''): FieldError[] =>
  errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([, reason]) => ({ field, reason }));
    return own.concat(flatten(e.children ?? [], field));
  });

export const validationFailed = (errors: FieldError[]) =>
  new BadRequestException({ code: 'ValidationFailed', message: 'Request validation failed', errors });

/** Per DTO class: its nested properties and its optional ones (the rules do not change once the app runs). */
const nestedRules = new WeakMap<object, { nested: { propertyName: string }[]; optional: Set<string> }>();
const nestedRulesOf = (type: object) => {
  let rules = nestedRules.get(type);
  if (!rules) {
    const metadatas = getMetadataStorage().getTargetValidationMetadatas(type as new () => object, '', true, false);
    rules = {
      nested: metadatas.filter((m) => m.type === ValidationTypes.NESTED_VALIDATION),
      optional: new Set(metadatas.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.propertyName)),
    };
    nestedRules.set(type, rules);
  }
  return rules;
};

/**
 * What `@ValidateNested` lets through: a nested property whose value (or, for lists, each
 * element) is not a plain object, e.g. arrays of arrays, and a required nested object that is
 * missing. Walks the DTO instance the pipe built, guided by class-validator's metadata.
 */
export const nestedShapeErrors = (object: object, prefix = '', depth = 0): FieldError[] => {
  if (depth > 16) return [];
  const { nested, optional } = nestedRulesOf(object.constructor);
  const errors: FieldError[] = [];
  for (const m of nested) {
    const field = prefix ? `${prefix}.${m.propertyName}` : m.propertyName;
    const value = (object as Record<string, unknown>)[m.propertyName];
    if (value === undefined || value === null) {
      if (!optional.has(m.propertyName)) errors.push({ field, reason: 'is required and must be an object' });
      continue;
    }
    const elements = Array.isArray(value) ? value.map((v, i) => ({ v, f: `${field}[${i}]` })) : [{ v: value, f: field }];
    for (const { v, f } of elements) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) errors.push({ field: f, reason: 'must be an object' });
      else errors.push(...nestedShapeErrors(v, f, depth + 1));
    }
  }
  return errors;
};

/** A value with no keys of its own: a query string with no parameters, an empty body. */
const isEmptyPlainObject = (value: unknown): value is object => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) return false;
  return true;
};

/** What `new Dto()` sets on its own (its field defaults), to compare with what the pipe built. */
const ownShape = (value: object): string => JSON.stringify(Object.entries(value));

class SalesValidationPipe extends ValidationPipe {
  /**
   * Per DTO class: whether an empty value (a GET with no query parameters) passes and becomes just
   * `new Dto()`. The answer cannot change (the same class, the same empty input), so after the first
   * full check each later empty value skips class-transformer and class-validator.
   */
  private readonly emptyBecomesNew = new Map<unknown, boolean>();

  constructor(
    options: ValidationPipeOptions,
    /** Valid bodies through the quick path (quick-validation.ts); off only to compare with the full pipe in specs. */
    private readonly quick: boolean,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype as (new () => object) | undefined;
    const known = metatype && isEmptyPlainObject(value) ? this.emptyBecomesNew.get(metatype) : undefined;
    if (known) return new metatype!();
    if (this.quick && metatype && known === undefined && this.toValidate(metadata)) {
      // A valid body (class-validator would find nothing): the same instance without the full pipe; anything else goes on.
      const instance = quickValidated(metatype, value);
      if (instance && this.shapeErrors(instance).length === 0) return instance;
    }
    const result: unknown = await super.transform(value, metadata);
    if (known === undefined && metatype && isEmptyPlainObject(value) && this.toValidate(metadata)) {
      const plain = new metatype();
      this.emptyBecomesNew.set(
        metatype,
        result instanceof metatype && Object.getPrototypeOf(result) === metatype.prototype && ownShape(result) === ownShape(plain),
      );
    }
    return result;
  }

  /** What class-validator lets through and Salesline refuses: nested shapes (nestedShapeErrors) and blank strings. */
  private shapeErrors(object: object): FieldError[] {
    return [...nestedShapeErrors(object), ...bodyDefects(object, { forbiddenKeys: false, blankStrings: true })];
  }

  protected override async validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, validatorOptions);
    const shape = this.shapeErrors(object);
    if (shape.length === 0) return errors;
    // Reported as constraint failures so the one exception factory names them.
    return [
      ...errors,
      ...shape.map((e) =>
        Object.assign(new ValidationError(), { property: e.field, constraints: { nestedShape: e.reason }, children: [] }),
      ),
    ];
  }
}

/**
 * Bodies and queries: unknown fields refused, each failure named with its field and reason. A valid body
 * takes the quick path (quick-validation.ts); `{ quick: false }` is the full pipe alone (specs compare the two).
 */
export const salesValidationPipe = ({ quick = true }: { quick?: boolean } = {}) => {
  memoizeValidationMetadata();
  return new SalesValidationPipe(
    {
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => validationFailed(flatten(errors)),
    },
    quick,
  );
};

const DOMAIN_STATUS = { rule: 422, conflict: 409, forbidden: 403, not_found: 404 } as const;

const ERROR_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

type ErrorBody = { statusCode: number; error: string; code: string; message: string } & Record<string, unknown>;

const body = (statusCode: number, code: string, message: string, extra: Record<string, unknown> = {}): ErrorBody => ({
  statusCode,
  error: ERROR_NAMES[statusCode] ?? 'Error',
  code,
  message,
  ...extra,
});

/** Maps an error to the HTTP answer: domain rules by kind, HTTP errors as they are, anything else 500. */
export const toErrorBody = (exception: unknown): ErrorBody => {
  if (exception instanceof EarlyRefusal) {
    return body(exception.status, exception.code, exception.message, exception.errors ? { errors: exception.errors } : {});
  }
  if (exception instanceof DomainError) {
    return body(DOMAIN_STATUS[exception.kind], exception.code, exception.message, exception.details ? { details: exception.details } : {});
  }
  if (exception instanceof WrongExpectedRevisionError) {
    return body(409, 'ConcurrencyConflict', exception.message);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'object' && response !== null) {
      const r = response as Record<string, unknown>;
      const code = typeof r.code === 'string' ? r.code : (ERROR_NAMES[status] ?? 'Error').replace(/\s+/g, '');
      const message = Array.isArray(r.message) ? r.message.join('; ') : String(r.message ?? exception.message);
      const { statusCode: _s, error: _e, code: _c, message: _m, ...rest } = r;
      return body(status, code, message, rest);
    }
    return body(status, (ERROR_NAMES[status] ?? 'Error').replace(/\s+/g, ''), String(response));
  }
  // body-parser errors carry a status and a type.
  const e = exception as { status?: number; type?: string; message?: string };
  if (e && typeof e.status === 'number' && typeof e.type === 'string') {
    if (e.type === 'entity.parse.failed') return body(400, 'InvalidJson', 'The request body is not valid JSON');
    if (e.type === 'entity.too.large') return body(413, 'PayloadTooLarge', 'The request body is too large');
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported')
      return body(415, 'UnsupportedEncoding', e.message ?? 'Unsupported encoding');
    if (e.status >= 400 && e.status < 500) return body(e.status, 'BadRequest', e.message ?? 'Bad request');
  }
  return body(500, 'InternalError', 'An unexpected error occurred; it has been logged');
};

/**
 * RFC 6750: a 401 names the scheme it wants and, for a bad token, why. A refusal that says when to retry
 * (`retryAfterSeconds`: 429 RateLimited, 503 ReportsBusy) says it in `Retry-After` too.
 */
export const applyErrorHeaders = (response: Response, result: ErrorBody): void => {
  if (typeof result.retryAfterSeconds === 'number') response.setHeader('Retry-After', String(result.retryAfterSeconds));
  if (result.statusCode === 401) {
    const invalid = result.code !== 'Unauthenticated';
    response.setHeader(
      'WWW-Authenticate',
      `Bearer realm="salesline"${invalid ? `, error="invalid_token", error_description="${result.code}"` : ''}`,
    );
  }
};

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const result = toErrorBody(exception);
    if (result.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (response.headersSent) return;
    applyErrorHeaders(response, result);
    response.status(result.statusCode).json(result);
  }
}
