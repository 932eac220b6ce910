import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DateField, OptionalDateField } from './date-fields';

class Body {
  @DateField({ example: '2026-01-15' }) orderDate: string;
  @OptionalDateField({ description: 'Default today' }) deliveredOn?: string;
}

const refusals = (plain: object) =>
  validateSync(plainToInstance(Body, plain)).flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));

describe('date fields of a body', () => {
  it('accept a YYYY-MM-DD date, and an absent optional one', () => {
    expect(refusals({ orderDate: '2026-01-15' })).toEqual([]);
    expect(refusals({ orderDate: '2026-01-15', deliveredOn: '2026-02-01' })).toEqual([]);
  });

  it('refuse another form, naming the field in the message', () => {
    expect(refusals({ orderDate: '15.01.2026', deliveredOn: '2026-2-1' })).toEqual([
      'orderDate: orderDate must be a date YYYY-MM-DD',
      'deliveredOn: deliveredOn must be a date YYYY-MM-DD',
    ]);
  });

  it('refuse a missing required date', () => {
    expect(refusals({})).toEqual(['orderDate: orderDate must be a date YYYY-MM-DD']);
  });
});
