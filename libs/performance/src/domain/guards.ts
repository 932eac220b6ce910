import { BusinessDate, compareDates, isBusinessDate, isValidId, ruleViolation } from '@salesline/shared-kernel';

/** Small input guards shared by the performance deciders; each throws a named 422. */
export const requireId = (value: unknown, field: string, code: string): string => {
  if (!isValidId(value)) throw ruleViolation(code, `${field} must be an id (letters, digits, '_' or '-', max 64)`, { field });
  return value;
};

export const requireText = (value: unknown, field: string, code: string, max = 2000): string => {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max)
    throw ruleViolation(code, `${field} is required (at most ${max} characters)`, { field });
  return value.trim();
};

export const optionalText = (value: unknown, field: string, code: string, max = 2000): string => {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value !== 'string' || value.length > max)
    throw ruleViolation(code, `${field} must be text (at most ${max} characters)`, { field });
  return value.trim();
};

export const requireDate = (value: unknown, field: string, code: string): BusinessDate => {
  if (!isBusinessDate(value)) throw ruleViolation(code, `${field} must be a business date (YYYY-MM-DD)`, { field });
  return value;
};

export const requireInteger = (value: unknown, field: string, code: string, min: number, max: number): number => {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max)
    throw ruleViolation(code, `${field} must be an integer between ${min} and ${max}`, { field, value });
  return value as number;
};

/** A fact's business date: a valid date, not after today (the back-dating window itself is checked at the HTTP edge). */
export const requirePastDate = (
  value: unknown,
  field: string,
  invalidCode: string,
  futureCode: string,
  today: BusinessDate,
): BusinessDate => {
  const date = requireDate(value, field, invalidCode);
  if (compareDates(date, today) > 0)
    throw ruleViolation(futureCode, `${field} (${date}) is after today (${today}); a fact is recorded once it happened`, { field });
  return date;
};

/** An employee as the application reads it from the employee stream (ADR 0200); null when unknown. */
export type EmployeeFact = Readonly<{ employeeId: string; hiredOn: BusinessDate; leftOn: BusinessDate | null }> | null;
