/**
 * Errors a decider may raise. Each has a stable `code` clients can switch on.
 * - rule: the request is well-formed but breaks a business rule (HTTP 422)
 * - conflict: the request clashes with the current state (HTTP 409)
 * - forbidden: the actor's role does not allow it (HTTP 403)
 * - not_found: the addressed entity does not exist (HTTP 404)
 */
export type DomainErrorKind = 'rule' | 'conflict' | 'forbidden' | 'not_found';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind = 'rule',
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const ruleViolation = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, 'rule', details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, 'conflict', details);
export const forbidden = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, 'forbidden', details);
export const notFound = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, 'not_found', details);
