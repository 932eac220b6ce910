/**
 * Dated receivables balances (ADR 0028): what `GET /api/receivables?asOf=` reads instead of every invoice.
 *
 * The receivables ledger keeps each invoice and source of money as its own document; what one counts as of a date is
 * a step function of the date (an invoice's open balance, in the aging bucket of its due date and disputed or not; a
 * source's unallocated money). Each step is a dated change of a cell, `i|<bucket>|<disputed 0/1>` or `s|<kind>`, which
 * the runtime adds to three rollups of the customer beside the ledger (`docType: 'aging'`): the year
 * (`aging:<c>:years`, cells `YYYY|cell`), the month of its year (`aging:<c>:YYYY`, cells `MM|cell`) and the day of its
 * month (`aging:<c>:YYYY-MM`, cells `DD|cell`). A balance as of D is the sum of the changes dated on or before D: the
 * years before D's, the months of its year before its month, the days of its month up to D — three documents per
 * customer whatever the history, with its account and its reservation totals (facts of now).
 */
import { RollupContribution } from '@salesline/core';
import { addDays, BusinessDate, compareDates } from '@salesline/shared-kernel';
import { SourceKind } from '../domain/account';
import { agingBucketOf, AgingBuckets, emptyAging } from '../domain/aging';
import { computeExposure } from '../domain/credit-check';
import type { ReceivablesAccountDoc, ReceivablesInvoice, ReceivablesLedgerDoc, ReceivablesSource } from './receivables.projection';
import type { ReservationTotalsDoc } from './receivables.projection';
import { invoiceBalanceAsOf, isDisputedAsOf, sourceUnallocatedAsOf } from './receivables.projection';
import type { ReceivablesAmounts } from './receivables-report';

/** A rollup of one customer's dated changes (a `RollupDocument`). */
export type AgingRollupDoc = {
  id: string;
  docType: 'aging';
  customerId: string;
  /** `years`, a year `YYYY` or a month `YYYY-MM`: what unit its cells are dated by (year, month, day). */
  period: string;
  /** `<YYYY|MM|DD>|i|<bucket>|<0|1>` (open balance) and `<YYYY|MM|DD>|s|<kind>` (unallocated) → [change]. */
  cells: Record<string, number[]>;
};

export const agingRollupId = (customerId: string, period: string) => `aging:${customerId}:${period}`;

// ── the step functions, written as dated changes ────────────────────────────────────────────────
type Cells = Map<string, number>;
const invoiceCell = (bucket: Exclude<keyof AgingBuckets, 'total'>, disputed: boolean) => `i|${bucket}|${disputed ? 1 : 0}`;
const sourceCell = (kind: SourceKind) => `s|${kind}`;

/** The dated changes of a step function given its value on each date it may change on. */
const changesOf = (dates: readonly BusinessDate[], valueOn: (date: BusinessDate) => Cells): [BusinessDate, string, number][] => {
  const out: [BusinessDate, string, number][] = [];
  let before: Cells = new Map();
  for (const date of [...new Set(dates)].sort(compareDates)) {
    const now = valueOn(date);
    for (const [cell, value] of now) if (value !== (before.get(cell) ?? 0)) out.push([date, cell, value - (before.get(cell) ?? 0)]);
    for (const [cell, value] of before) if (!now.has(cell) && value !== 0) out.push([date, cell, -value]);
    before = now;
  }
  return out;
};

/**
 * What an invoice counts as of each date, as `openInvoicesAsOf` counts it: nothing before its invoice date, then its
 * open balance (entries dated on or before) in the bucket of its due date, disputed or not. It changes only on the
 * invoice date, an entry's date, a dispute's start or end, and the days its due date moves to the next bucket.
 */
export const invoiceChanges = (invoice: ReceivablesInvoice): [BusinessDate, string, number][] => {
  const due = invoice.dueDate;
  const dates = [
    invoice.invoiceDate,
    ...invoice.history.map((e) => e.date),
    ...invoice.disputes.flatMap((d) => (d.to === null ? [d.from] : [d.from, d.to])),
    ...[1, 31, 61, 91].map((days) => addDays(due, days)),
  ].filter((date) => compareDates(date, invoice.invoiceDate) >= 0);
  return changesOf(dates, (date) => {
    const balance = invoiceBalanceAsOf(invoice, date);
    return new Map(balance === 0 ? [] : [[invoiceCell(agingBucketOf(due, date), isDisputedAsOf(invoice, date)), balance]]);
  });
};

/** What a source holds unallocated as of each date (`sourceUnallocatedAsOf`): it changes on its entries' dates. */
export const sourceChanges = (source: ReceivablesSource): [BusinessDate, string, number][] =>
  changesOf(
    source.history.map((e) => e.date),
    (date) => {
      const unallocated = sourceUnallocatedAsOf(source, date);
      return new Map(unallocated === 0 ? [] : [[sourceCell(source.kind), unallocated]]);
    },
  );

/** Each dated change to the year, the month of its year and the day of its month. */
const dated = (customerId: string, changes: readonly [BusinessDate, string, number][]): RollupContribution[] =>
  changes.flatMap(([date, cell, value]) => {
    const [year, month, day] = [date.slice(0, 4), date.slice(0, 7), date.slice(8, 10)];
    return [
      {
        id: agingRollupId(customerId, 'years'),
        fields: { docType: 'aging', customerId, period: 'years' },
        cell: `${year}|${cell}`,
        values: [value],
      },
      {
        id: agingRollupId(customerId, year),
        fields: { docType: 'aging', customerId, period: year },
        cell: `${month.slice(5)}|${cell}`,
        values: [value],
      },
      {
        id: agingRollupId(customerId, month),
        fields: { docType: 'aging', customerId, period: month },
        cell: `${day}|${cell}`,
        values: [value],
      },
    ];
  });

/** What a ledger document adds to its customer's aging rollups: an invoice's or a source's dated changes. */
export const agingContributions = (doc: ReceivablesLedgerDoc): RollupContribution[] => {
  switch (doc.docType) {
    case 'invoice':
      return dated(doc.customerId, invoiceChanges(doc));
    case 'source':
      return dated(doc.customerId, sourceChanges(doc));
    default:
      return [];
  }
};

/** The aging rollups to read for a balance as of `asOf`: every customer's years, the year of `asOf` and its month. */
export const agingPeriods = (asOf: BusinessDate): string[] => ['years', asOf.slice(0, 4), asOf.slice(0, 7)];

/** A customer's balances as of a date, from its aging rollups (`agingPeriods`), its account and its reservation totals. */
export type AgingBalances = { customerId: string } & ReceivablesAmounts;

/**
 * Every account's balances as of `asOf`, summed from the changes dated on or before it: the years before its year,
 * the months of its year before its month, the days of its month up to its day. The same figures as
 * `customerReceivables` computes from the `receivables` document (a property spec checks it).
 */
export const agingBalancesAsOf = (
  ledgers: readonly (AgingRollupDoc | ReceivablesAccountDoc | ReservationTotalsDoc)[],
  asOf: BusinessDate,
): AgingBalances[] => {
  const [year, month, day] = [asOf.slice(0, 4), asOf.slice(5, 7), asOf.slice(8, 10)];
  const bounds = new Map([
    ['years', year],
    [year, month],
    [`${year}-${month}`, day],
  ]);
  const accounts = new Map<string, { cells: Map<string, number>; reserved: number; open: boolean }>();
  const accountOf = (customerId: string) => {
    let account = accounts.get(customerId);
    if (!account) accounts.set(customerId, (account = { cells: new Map(), reserved: 0, open: false }));
    return account;
  };
  for (const ledger of ledgers) {
    const account = accountOf(ledger.customerId);
    if (ledger.docType === 'account') {
      account.open = true;
      continue;
    }
    if (ledger.docType === 'totals') {
      account.reserved = ledger.cells.reserved?.[0] ?? 0;
      continue;
    }
    // Years before asOf's, months of its year before its month, days of its month up to its day.
    const last = bounds.get(ledger.period);
    if (last === undefined) continue;
    const upTo = ledger.period.length === 7;
    for (const [key, [value]] of Object.entries(ledger.cells)) {
      const bar = key.indexOf('|');
      const unit = key.slice(0, bar);
      if (upTo ? unit > last : unit >= last) continue;
      const cell = key.slice(bar + 1);
      account.cells.set(cell, (account.cells.get(cell) ?? 0) + value);
    }
  }
  const balances: AgingBalances[] = [];
  for (const [customerId, { cells, reserved, open }] of accounts) {
    if (!open) continue;
    const aging = emptyAging();
    let disputedAmount = 0;
    let inDunningAmount = 0;
    const unallocated: Record<SourceKind, number> = { payment: 0, deposit: 0, credit_note: 0 };
    for (const [cell, value] of cells) {
      const [kind, what, disputed] = cell.split('|');
      if (kind === 's') unallocated[what as SourceKind] += value;
      else {
        const bucket = what as Exclude<keyof AgingBuckets, 'total'>;
        aging[bucket] += value;
        aging.total += value;
        if (disputed === '1') disputedAmount += value;
        else if (bucket !== 'current') inDunningAmount += value;
      }
    }
    const unallocatedCredit = unallocated.deposit + unallocated.payment + unallocated.credit_note;
    balances.push({
      customerId,
      openReceivables: aging.total,
      aging,
      depositsOnHand: unallocated.deposit,
      unallocatedPayments: unallocated.payment,
      unallocatedCreditNotes: unallocated.credit_note,
      unallocatedCredit,
      disputedAmount,
      inDunningAmount,
      reservedForOrders: reserved,
      exposure: computeExposure({
        openReceivables: aging.total,
        confirmedUnbilledOrders: reserved,
        thisOrder: 0,
        unallocatedDeposits: unallocatedCredit,
      }),
    });
  }
  return balances;
};
