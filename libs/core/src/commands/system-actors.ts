import { Actor } from '@salesline/shared-kernel';
import { RequestContext } from './request-context';

/**
 * Every actor of the system's own commands (process managers, schedulers, webhooks), declared once: a
 * `system:<process>` id, and the roles the process acts with. No person, token or API key may take a
 * `system…` (or `admin…`) id (`isReservedUserId`, refused by the auth endpoints), so an event recorded by
 * one of these was sent by the system.
 */
export const SYSTEM_ACTORS = {
  /** Process managers that carry one context's facts to another (orders to accounts). */
  processManager: { userId: 'system:process-manager', roles: ['admin'] },
  /** The webhook dispatcher, parking a webhook after its last failed attempt. */
  webhooks: { userId: 'system:webhooks', roles: ['admin'] },
  /** The performance processes act as the integration account (ADR 0305). */
  performance: { userId: 'system:performance', roles: ['integration'] },
  /** A dismissal recorded as the leaver of the organization: the administrative department's act (ADR 0200). */
  performanceDismissal: { userId: 'system:performance', roles: ['admin_department'] },
} as const satisfies Record<string, Actor>;

/** The actor of the system's reactions when no other is named. */
export const SYSTEM_ACTOR: Actor = SYSTEM_ACTORS.processManager;

/** Ids no person, token or API key may take: `admin` and `system`, alone or with a `_`, `:` or `-` suffix. */
export const isReservedUserId = (userId: string): boolean => /^(admin|system)([_:-].*)?$/i.test(userId);

/** The request of a command the system sends in reaction to an event: its correlation, caused by that event, now. */
export const systemRequest = (
  cause: { correlationId: string; causationId: string | null },
  actor: Actor = SYSTEM_ACTOR,
): RequestContext => {
  const now = new Date().toISOString();
  return { actor, correlationId: cause.correlationId, causationId: cause.causationId, now, today: now.slice(0, 10) };
};
