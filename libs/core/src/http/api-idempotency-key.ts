import { ApiHeader } from '@nestjs/swagger';

/** Documents the Idempotency-Key header every create accepts (ADR 0002). */
export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retried request with the same key and body returns the first answer and appends nothing',
  });
