import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse } from '@nestjs/swagger';
import { ApiOkResponse, ApiOperation, ApiOperationOptions, ApiResponseOptions, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ApiIdempotencyKey } from './api-idempotency-key';
import { CommandAccepted } from './command-accepted';

/** The refusals an operation (or every operation of a controller) documents: for each answer, the named codes it carries. */
export type Refusals = Readonly<{
  /** 400, e.g. 'ValidationFailed: { errors: [{ field, reason }] }'. */
  badRequest?: string;
  forbidden?: string;
  notFound?: string;
  conflict?: string;
  /** 422. */
  unprocessable?: string;
}>;

const REFUSAL_DOCS = {
  badRequest: ApiBadRequestResponse,
  forbidden: ApiForbiddenResponse,
  notFound: ApiNotFoundResponse,
  conflict: ApiConflictResponse,
  unprocessable: ApiUnprocessableEntityResponse,
} as const;

/** Documents the refusals by their codes: `@ApiRefusals({ notFound: 'RegionNotFound', conflict: 'RegionAlreadyClosed' })`. */
export const ApiRefusals = (refusals: Refusals) =>
  applyDecorators(
    ...(Object.keys(REFUSAL_DOCS) as (keyof Refusals)[]).flatMap((kind) => {
      const description = refusals[kind];
      return description === undefined ? [] : [REFUSAL_DOCS[kind]({ description })];
    }),
  );

/**
 * A command endpoint as every context writes it: 201 when it creates (200 otherwise), its operation, its
 * answer (`CommandAccepted` unless another is described) and the Idempotency-Key it honours (ADR 0002).
 * Its refusals go in `@ApiRefusals`.
 */
export const CommandEndpoint = (
  status: 200 | 201,
  operation: ApiOperationOptions,
  answer: ApiResponseOptions = { type: CommandAccepted },
) =>
  applyDecorators(
    HttpCode(status),
    ApiOperation(operation),
    (status === 201 ? ApiCreatedResponse : ApiOkResponse)(answer),
    ApiIdempotencyKey(),
  );
