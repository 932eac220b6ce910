import { ID_PATTERN } from '@salesline/shared-kernel';

/**
 * The bounds answer fields carry in the OpenAPI document (`@ApiProperty({ ...POSITION_FIELD })`), so
 * that a client generated from it knows every number is an integer in a range and every string has a
 * length, pattern or format (issue 11). Inputs take theirs from class-validator (openapi-constraints).
 */
export const POSITION_FIELD = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
/** Money in minor units, or a quantity, as an answer reports it. */
export const AMOUNT_FIELD = { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER } as const;
/** An entity or user id as the API hands it out. */
export const ID_FIELD = { pattern: ID_PATTERN.source, maxLength: 64 } as const;
/** A status or kind in snake_case. */
export const STATUS_FIELD = { pattern: '^[a-z][a-z_]{0,63}$', maxLength: 64 } as const;
/** A business date. */
export const DATE_FIELD = { format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 } as const;
/** A credential (JWT, API key or admin token). */
export const CREDENTIAL_FIELD = { maxLength: 4096, pattern: '^[A-Za-z0-9._~+/=-]+$' } as const;
