import { ApiHeader } from '@nestjs/swagger';

/** Documents the Idempotency-Key header on every operation that honours it (ADR 0002); test/idempotency-key.e2e.spec.ts finds them by behaviour. */
export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retried request with the same key and body returns the first answer and appends nothing',
  });
