import { Actor } from '@salesline/shared-kernel';

/** What a request brings to every command: who, which conversation, and its retry key. */
export type RequestContext = Readonly<{
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  /** Wall-clock time of the request (ISO-8601). */
  now: string;
  /** Today's business date (YYYY-MM-DD). */
  today: string;
  idempotencyKey?: string;
  /** Hash of method, route and body: the same key with another body is refused. */
  requestHash?: string;
}>;
