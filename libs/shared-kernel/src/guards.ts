import { Actor, hasAnyRole, Role } from './decider';
import { DomainError, forbidden, ruleViolation } from './errors';
import { isValidId } from './ids';
import { isBusinessDate } from './time';

/** Input guards every decider uses. Each throws a named DomainError (422, or 403 for roles). */
export const requireId = (value: unknown, field: string, code = 'InvalidId'): string => {
  if (!isValidId(value)) throw ruleViolation(code, `${field} must be an id (letters, digits, '_' or '-', max 64)`, { field });
  return value;
};

/** Non-blank text, trimmed, at most `max` characters. */
export const requireText = (value: unknown, field: string, code = 'InvalidText', max = 2000): string => {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw ruleViolation(code, `${field} is required (at most ${max} characters)`, { field });
  }
  return value.trim();
};

export const requireDate = (value: unknown, field: string, code = 'InvalidBusinessDate'): string => {
  if (!isBusinessDate(value)) throw ruleViolation(code, `${field} must be a business date YYYY-MM-DD`, { field });
  return value;
};

/** Money or price: an integer number of minor units, ≥ 0 (or > 0 when `positive`). */
export const requireAmount = (value: unknown, field: string, positive = false): number => {
  if (!Number.isSafeInteger(value) || (value as number) < (positive ? 1 : 0)) {
    throw ruleViolation('InvalidAmount', `${field} must be ${positive ? 'a positive' : 'a non-negative'} integer number of minor units`, {
      field,
      value,
    });
  }
  return value as number;
};

export const requireQuantity = (value: unknown, field: string): number => {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw ruleViolation('InvalidQuantity', `${field} must be a positive integer`, { field, value });
  }
  return value as number;
};

export const requireRole = (actor: Actor, code: string, ...roles: Role[]): void => {
  if (!hasAnyRole(actor, ...roles))
    throw forbidden(code, `requires one of the roles: ${['admin', ...roles].join(', ')}`, { required: roles });
};

export const requireUnique = (values: readonly string[], code: string, field: string): void => {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw ruleViolation(code, `${field} ${v} appears more than once`, { field, value: v });
    seen.add(v);
  }
};

/**
 * The state when it is in the one status a command needs, else the refusal named for the status it is in
 * (typically `none` → notFound, an ended status → conflict). The refusals must name every other status.
 */
export const requireStatus = <S extends Readonly<{ status: string }>, K extends S['status']>(
  state: S,
  status: K,
  refusals: { [P in Exclude<S['status'], K>]: (state: Extract<S, { status: P }>) => DomainError },
): Extract<S, { status: K }> => {
  if (state.status === status) return state as Extract<S, { status: K }>;
  const refuse: (state: never) => DomainError = refusals[state.status as Exclude<S['status'], K>];
  throw refuse(state as never);
};
