import type { FieldError } from './errors';

/** A refusal that happens before Nest's pipeline, in the same error shape as every other answer. */
export class EarlyRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
  }
}
