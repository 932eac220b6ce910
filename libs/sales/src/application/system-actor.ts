import { RequestContext } from '@salesline/core';
import { Actor } from '@salesline/shared-kernel';

/** Process managers act as the system, on behalf of the event that caused them. */
export const SYSTEM_ACTOR: Actor = { userId: 'system:process-manager', roles: ['admin'] };

export const systemRequest = (cause: { correlationId: string; causationId: string }): RequestContext => {
  const now = new Date().toISOString();
  return { actor: SYSTEM_ACTOR, correlationId: cause.correlationId, causationId: cause.causationId, now, today: now.slice(0, 10) };
};
