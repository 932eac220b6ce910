import { BadRequestException } from '@nestjs/common';
import { RequestContext } from '../commands/request-context';
import { resolveBusinessDate, resolvePlannedDate } from './business-date';

const request = { today: '2025-06-15' } as RequestContext;
const WINDOW = 30;

const errorsOf = (resolve: () => unknown): unknown => {
  try {
    resolve();
  } catch (err) {
    if (err instanceof BadRequestException) return (err.getResponse() as { errors: unknown }).errors;
    throw err;
  }
  throw new Error('expected a 400');
};

describe('Business dates a request brings', () => {
  describe('resolveBusinessDate: a date that happened', () => {
    it('is today when absent, and as given within the back-dating window', () => {
      expect(resolveBusinessDate(undefined, request, WINDOW, 'on')).toBe('2025-06-15');
      expect(resolveBusinessDate('2025-05-16', request, WINDOW, 'on')).toBe('2025-05-16');
    });
    it('refuses tomorrow and a date before the window (400 with the field)', () => {
      expect(errorsOf(() => resolveBusinessDate('2025-06-16', request, WINDOW, 'on'))).toEqual([
        { field: 'on', reason: 'must not be after today (2025-06-15)' },
      ]);
      expect(errorsOf(() => resolveBusinessDate('2025-05-15', request, WINDOW, 'on'))).toEqual([
        { field: 'on', reason: 'must not be before 2025-05-16 (back-dating window of 30 days)' },
      ]);
    });
  });

  describe('resolvePlannedDate: a date that may be planned ahead', () => {
    it('is today when absent, like every business date', () => {
      expect(resolvePlannedDate(undefined, request, WINDOW, 'leftOn')).toBe('2025-06-15');
    });
    it('takes a future date as given', () => {
      expect(resolvePlannedDate('2026-01-31', request, WINDOW, 'leftOn')).toBe('2026-01-31');
    });
    it('holds a past date to the back-dating window', () => {
      expect(resolvePlannedDate('2025-05-16', request, WINDOW, 'leftOn')).toBe('2025-05-16');
      expect(errorsOf(() => resolvePlannedDate('2025-05-15', request, WINDOW, 'leftOn'))).toEqual([
        { field: 'leftOn', reason: 'must not be before 2025-05-16 (back-dating window of 30 days)' },
      ]);
    });
    it('refuses what is not a calendar date', () => {
      expect(errorsOf(() => resolvePlannedDate('2025-02-30', request, WINDOW, 'leftOn'))).toEqual([
        { field: 'leftOn', reason: 'must be a calendar date YYYY-MM-DD' },
      ]);
      expect(errorsOf(() => resolvePlannedDate('next week', request, WINDOW, 'leftOn'))).toEqual([
        { field: 'leftOn', reason: 'must be a calendar date YYYY-MM-DD' },
      ]);
    });
  });
});
