import { isBusinessDate, isValidId, ruleViolation } from '@salesline/shared-kernel';

/** Small input guards shared by the organization deciders; each throws a named 422. */
export const requireId = (value: unknown, field: string, code: string): string => {
  if (!isValidId(value)) throw ruleViolation(code, `${field} must be an id (letters, digits, '_' or '-', max 64)`, { field });
  return value;
};

export const requireText = (value: unknown, field: string, code: string, max = 2000): string => {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max)
    throw ruleViolation(code, `${field} is required (at most ${max} characters)`, { field });
  return value.trim();
};

export const requireDate = (value: unknown, field: string, code: string): string => {
  if (!isBusinessDate(value)) throw ruleViolation(code, `${field} must be a business date (YYYY-MM-DD)`, { field });
  return value;
};
