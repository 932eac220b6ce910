/**
 * The order list's totals as rollups (ADR 0029): what `GET /api/orders` answers as `total` and `totals` without
 * summing every matching order.
 *
 * Each order board document adds `[1, value, cost]` to the rollups the runtime keeps beside the board, for the whole
 * company, its customer and its primary salesperson (the fields the list filters by), each dated three ways, as the
 * aging rollups are (ADR 0028): the years (`order-totals:<of>:years`, cells `YYYY|status`), the months of its year
 * (`order-totals:<of>:YYYY`, `MM|status`) and the days of its month (`order-totals:<of>:YYYY-MM`, `DD|status`). A
 * customer's cells also name the salesperson (`…|status|salespersonId`), so a customer's list narrowed to a salesperson
 * or to a manager's reach is still read from its own rollups. The totals of an order date range are the years inside
 * it, the months inside it of its first and last years, and the days inside it of its first and last months: at most
 * five documents per company, customer or salesperson, whatever the number of orders.
 */
import { DocumentFilter, FieldCondition, RollupContribution, Scalar } from '@salesline/core';
import { addDays } from '@salesline/shared-kernel';
import type { OrderBoardDoc } from './order-board.projection';

/** Whose orders a rollup sums: every order, a customer's (`of` its id) or a primary salesperson's. */
export type OrderTotalsScope = 'company' | 'customer' | 'salesperson';

/** A rollup of the order board (a `RollupDocument`), in the board's collection. */
export type OrderTotalsDoc = {
  id: string;
  /** Whose orders it sums. */
  totalsOf: OrderTotalsScope;
  /** The customer or salesperson id; `company` for every order. */
  of: string;
  /** `years`, a year `YYYY` or a month `YYYY-MM`: the unit its cells are dated by (year, month, day). */
  period: string;
  /** `<YYYY|MM|DD>|<status>` (a customer's: `…|<status>|<salespersonId>`) → [orders, value, cost]. */
  cells: Record<string, number[]>;
};

export const orderTotalsId = (scope: OrderTotalsScope, of: string, period: string) => `order-totals:${scope}:${of}:${period}`;

/** What one order adds to the rollups: [1, value, cost] for the company, its customer and its salesperson, three ways dated. */
export const orderTotalsContributions = (doc: OrderBoardDoc): RollupContribution[] => {
  const date = doc.orderDate;
  const dated: [string, string][] = [
    ['years', date.slice(0, 4)],
    [date.slice(0, 4), date.slice(5, 7)],
    [date.slice(0, 7), date.slice(8, 10)],
  ];
  const values = [1, doc.value, doc.cost];
  const of: [OrderTotalsScope, string, string][] = [
    ['company', 'company', ''],
    ['customer', doc.customerId, `|${doc.salespersonId}`],
    ['salesperson', doc.salespersonId, ''],
  ];
  return of.flatMap(([totalsOf, id, suffix]) =>
    dated.map(([period, unit]) => ({
      id: orderTotalsId(totalsOf, id, period),
      fields: { totalsOf, of: id, period },
      cell: `${unit}|${doc.status}${suffix}`,
      values,
    })),
  );
};

/** The list's filter, as the order list builds it: equality on customer and status, a salesperson condition, a date range. */
export type OrderListFilter = Readonly<{
  customerId?: string;
  salespersonId?: FieldCondition;
  status?: string;
  from?: string;
  to?: string;
}>;

const nextMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
const lastDayOfMonth = (month: string): string => addDays(`${nextMonth(month)}-01`, -1);

/** Which rollups a list reads: the years, and the years and months the range starts and ends in. */
export const orderTotalsQuery = (filter: OrderListFilter): DocumentFilter => {
  const periods = new Set(['years']);
  for (const date of [filter.from, filter.to]) if (date !== undefined) periods.add(date.slice(0, 4)).add(date.slice(0, 7));
  const period = { $in: [...periods] };
  if (filter.customerId !== undefined) return { totalsOf: 'customer', of: filter.customerId, period };
  if (filter.salespersonId !== undefined) return { totalsOf: 'salesperson', of: filter.salespersonId, period };
  return { totalsOf: 'company', of: 'company', period };
};

/** Whether a value meets a filter condition, as the read stores read it (a customer's cells name their salesperson). */
const meets = (value: Scalar, condition: FieldCondition): boolean => {
  if (condition === null || typeof condition !== 'object') return value === condition;
  return Object.entries(condition).every(([op, operand]) => {
    switch (op) {
      case '$in':
        return (operand as Scalar[]).includes(value);
      case '$nin':
        return !(operand as Scalar[]).includes(value);
      case '$ne':
        return value !== operand;
      case '$gte':
        return value !== null && operand !== null && value >= operand;
      case '$gt':
        return value !== null && operand !== null && value > operand;
      case '$lte':
        return value !== null && operand !== null && value <= operand;
      case '$lt':
        return value !== null && operand !== null && value < operand;
      default:
        throw new Error(`Unsupported filter operator ${op}`);
    }
  });
};

/**
 * The list's totals from the rollups `orderTotalsQuery` selected: a cell counts when its status and (on a customer's
 * rollup) its salesperson match, and its year, month or day lies in the range — a year only when the whole year does,
 * a month only when the whole month does and its year does not, a day only when its month does not.
 */
export const orderTotalsOf = (
  rollups: readonly OrderTotalsDoc[],
  filter: OrderListFilter,
): { count: number; value: number; cost: number } => {
  const within = (start: string, end: string) =>
    (filter.from === undefined || filter.from <= start) && (filter.to === undefined || end <= filter.to);
  const yearWithin = (year: string) => within(`${year}-01-01`, `${year}-12-31`);
  const monthWithin = (month: string) => within(`${month}-01`, lastDayOfMonth(month));
  const totals = { count: 0, value: 0, cost: 0 };
  for (const rollup of rollups)
    for (const [cell, [count, value, cost]] of Object.entries(rollup.cells)) {
      const [unit, status, salespersonId] = cell.split('|');
      if (filter.status !== undefined && status !== filter.status) continue;
      if (rollup.totalsOf === 'customer' && filter.salespersonId !== undefined && !meets(salespersonId, filter.salespersonId)) continue;
      const counts =
        rollup.period === 'years'
          ? yearWithin(unit)
          : rollup.period.length === 4
            ? !yearWithin(rollup.period) && monthWithin(`${rollup.period}-${unit}`)
            : !monthWithin(rollup.period) && within(`${rollup.period}-${unit}`, `${rollup.period}-${unit}`);
      if (!counts) continue;
      totals.count += count;
      totals.value += value;
      totals.cost += cost;
    }
  return totals;
};
