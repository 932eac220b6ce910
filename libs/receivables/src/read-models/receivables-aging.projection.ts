/**
 * Dated receivables balances (ADR 0028): what `GET /api/receivables?asOf=` reads instead of every invoice.
 *
 * `receivables_aging` holds, per customer account, small source documents and the rollups the runtime keeps from
 * them:
 * - sources: `account:<customerId>` (the account exists), `invoice:<customerId>:<invoiceId>` (one invoice as the
 *   `receivables` document holds it), `source:<customerId>:<kind>:<sourceId>` (a payment, deposit or credit-note excess)
 *   and `reservation:<customerId>:<orderId>` (an order's credit reservation). Each is folded by `evolveReceivablesDoc`
 *   itself, on an account document holding only that item, so it is the item of the `receivables` document.
 * - rollups, `aging:<customerId>:<period>`: what an item counts as of a date is a step function of the date (an
 *   invoice's open balance, in the aging bucket of its due date and disputed or not; a source's unallocated money).
 *   Each step is a dated change of a cell, `i|<bucket>|<disputed 0/1>` or `s|<kind>`, written three times: to the
 *   year (`aging:<c>:years`, cells `YYYY|cell`), to the month of its year (`aging:<c>:YYYY`, cells `MM|cell`) and to
 *   the day of its month (`aging:<c>:YYYY-MM`, cells `DD|cell`). A balance as of D is the sum of the changes dated
 *   on or before D: the years before D's, the months of its year before its month, the days of its month up to D —
 *   three documents per customer whatever the history, plus `aging:<c>:now` (the account, and what is reserved for
 *   orders, a fact of now).
 */
import { defineProjection, Lookup, Recorded, RollupContribution } from '@salesline/core';
import { addDays, BusinessDate, compareDates } from '@salesline/shared-kernel';
import { AccountEvent, SourceKind } from '../domain/account';
import { agingBucketOf, AgingBuckets, emptyAging } from '../domain/aging';
import { computeExposure } from '../domain/credit-check';
import { ACCOUNT_EVENT_TYPES, customerIdOfAccountEvent, emptyDoc, evolveReceivablesDoc } from './receivables.projection';
import { invoiceBalanceAsOf, isDisputedAsOf, ReceivablesDoc, ReceivablesInvoice } from './receivables.projection';
import { ReceivablesSource, sourceUnallocatedAsOf } from './receivables.projection';

export type AgingAccountDoc = { id: string; item: 'account'; customerId: string };
export type AgingInvoiceDoc = { id: string; item: 'invoice'; customerId: string; invoice: ReceivablesInvoice };
export type AgingSourceDoc = { id: string; item: 'source'; customerId: string; source: ReceivablesSource };
export type AgingReservationDoc = { id: string; item: 'reservation'; customerId: string; orderId: string; amount: number };
export type AgingItemDoc = AgingAccountDoc | AgingInvoiceDoc | AgingSourceDoc | AgingReservationDoc;

/** A rollup of one customer's dated changes (a `RollupDocument`). */
export type AgingRollupDoc = {
  id: string;
  customerId: string;
  /** `years`, a year `YYYY`, a month `YYYY-MM`, or `now`. */
  period: string;
  /** `<YYYY|MM|DD>|i|<bucket>|<0|1>` and `<YYYY|MM|DD>|s|<kind>` → [change]; on `now`: `accounts` → [1], `reserved` → [amount]. */
  cells: Record<string, number[]>;
};

const accountId = (customerId: string) => `account:${customerId}`;
const invoiceId = (customerId: string, id: string) => `invoice:${customerId}:${id}`;
const sourceId = (customerId: string, kind: SourceKind, id: string) => `source:${customerId}:${kind}:${id}`;
const reservationId = (customerId: string, orderId: string) => `reservation:${customerId}:${orderId}`;
export const agingRollupId = (customerId: string, period: string) => `aging:${customerId}:${period}`;

type Item = AgingItemDoc['item'];
const itemOf = (id: string): Item => id.slice(0, id.indexOf(':')) as Item;

/** The documents an account event changes: the account, and the invoice, source and reservation it names. */
const documentIds = (event: Recorded<AccountEvent>): string[] => {
  if (!event.streamName.startsWith('account-')) return [];
  const c = customerIdOfAccountEvent(event);
  const ids = [accountId(c)];
  switch (event.type) {
    case 'CreditReserved':
    case 'CreditReservationReleased':
      ids.push(reservationId(c, event.data.orderId));
      break;
    case 'CreditReservationRefused':
      break;
    case 'InvoicePosted':
      ids.push(reservationId(c, event.data.orderId), invoiceId(c, event.data.invoiceId));
      break;
    case 'CreditNotePosted':
      // The excess source first: it reads the invoice as it stands before the credit note.
      ids.push(sourceId(c, 'credit_note', event.data.creditNoteId), invoiceId(c, event.data.invoiceId));
      break;
    case 'DepositReceived':
    case 'DepositRefunded':
      ids.push(sourceId(c, 'deposit', event.data.depositId));
      break;
    case 'PaymentReceived':
      ids.push(sourceId(c, 'payment', event.data.paymentId));
      break;
    case 'PaymentAllocated':
      ids.push(sourceId(c, event.data.sourceKind, event.data.sourceId), invoiceId(c, event.data.invoiceId));
      break;
    case 'PaymentRefused':
    case 'DisputeSettled':
    case 'InvoiceWrittenOff':
      ids.push(invoiceId(c, event.data.invoiceId));
      break;
  }
  return ids;
};

/** The source key (`kind:id`) an event names, as the `receivables` document keys its sources. */
const sourceKeyOf = (event: Recorded<AccountEvent>): string | null => {
  switch (event.type) {
    case 'CreditNotePosted':
      return `credit_note:${event.data.creditNoteId}`;
    case 'DepositReceived':
    case 'DepositRefunded':
      return `deposit:${event.data.depositId}`;
    case 'PaymentReceived':
      return `payment:${event.data.paymentId}`;
    case 'PaymentAllocated':
      return `${event.data.sourceKind}:${event.data.sourceId}`;
    default:
      return null;
  }
};

/** Each item folded by the `receivables` evolve, on an account document that holds only that item (and, for a credit note's excess, its invoice). */
const evolveItem = (
  doc: AgingItemDoc | null,
  event: Recorded<AccountEvent>,
  id: string,
  lookup: Lookup<AgingItemDoc>,
): AgingItemDoc | null => {
  const customerId = customerIdOfAccountEvent(event);
  const account = (parts: Partial<ReceivablesDoc>): ReceivablesDoc => ({ ...emptyDoc(customerId), ...parts });
  switch (itemOf(id)) {
    case 'account':
      return doc ?? { id, item: 'account', customerId };
    case 'reservation': {
      if (!('orderId' in event.data)) return doc;
      const orderId = event.data.orderId;
      const held = doc?.item === 'reservation' ? { [orderId]: doc.amount } : {};
      const amount = evolveReceivablesDoc(account({ reservations: held }), event, customerId)?.reservations[orderId];
      return amount === undefined ? null : { id, item: 'reservation', customerId, orderId, amount };
    }
    case 'invoice': {
      if (!('invoiceId' in event.data)) return doc;
      const key = event.data.invoiceId;
      const invoices = doc?.item === 'invoice' ? { [key]: doc.invoice } : {};
      const invoice = evolveReceivablesDoc(account({ invoices }), event, customerId)?.invoices[key];
      return invoice ? { id, item: 'invoice', customerId, invoice } : doc;
    }
    case 'source': {
      const key = sourceKeyOf(event);
      if (key === null) return doc;
      const sources = doc?.item === 'source' ? { [key]: doc.source } : {};
      let invoices: Record<string, ReceivablesInvoice> = {};
      if (event.type === 'CreditNotePosted') {
        const billed = lookup(invoiceId(customerId, event.data.invoiceId));
        if (billed?.item === 'invoice') invoices = { [event.data.invoiceId]: billed.invoice };
      }
      const source = evolveReceivablesDoc(account({ sources, invoices }), event, customerId)?.sources[key];
      return source ? { id, item: 'source', customerId, source } : doc;
    }
  }
};

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
      { id: agingRollupId(customerId, 'years'), fields: { customerId, period: 'years' }, cell: `${year}|${cell}`, values: [value] },
      { id: agingRollupId(customerId, year), fields: { customerId, period: year }, cell: `${month.slice(5)}|${cell}`, values: [value] },
      { id: agingRollupId(customerId, month), fields: { customerId, period: month }, cell: `${day}|${cell}`, values: [value] },
    ];
  });

const now = (customerId: string, cell: string, value: number): RollupContribution[] => [
  { id: agingRollupId(customerId, 'now'), fields: { customerId, period: 'now' }, cell, values: [value] },
];

export const agingContributions = (doc: AgingItemDoc): RollupContribution[] => {
  switch (doc.item) {
    case 'account':
      return now(doc.customerId, 'accounts', 1);
    case 'reservation':
      return now(doc.customerId, 'reserved', doc.amount);
    case 'invoice':
      return dated(doc.customerId, invoiceChanges(doc.invoice));
    case 'source':
      return dated(doc.customerId, sourceChanges(doc.source));
  }
};

export const receivablesAgingProjection = defineProjection<AccountEvent>()({
  name: 'receivables_aging',
  collection: 'receivables_aging',
  handles: ACCOUNT_EVENT_TYPES,
  indexes: [{ fields: ['period'] }],
  documentIds,
  lookups: (event) =>
    event.type === 'CreditNotePosted' && event.streamName.startsWith('account-')
      ? [invoiceId(customerIdOfAccountEvent(event), event.data.invoiceId)]
      : [],
  evolve: evolveItem,
  rollup: agingContributions,
});

/** The rollups to read for a balance as of `asOf`: every customer's years, the year of `asOf`, its month, and `now`. */
export const agingPeriods = (asOf: BusinessDate): string[] => ['years', asOf.slice(0, 4), asOf.slice(0, 7), 'now'];

/** A customer's balances as of a date, from its aging rollups (`agingPeriods`). */
export type AgingBalances = {
  customerId: string;
  openReceivables: number;
  aging: AgingBuckets;
  depositsOnHand: number;
  unallocatedPayments: number;
  unallocatedCreditNotes: number;
  unallocatedCredit: number;
  disputedAmount: number;
  inDunningAmount: number;
  reservedForOrders: number;
  exposure: number;
};

/**
 * Every account's balances as of `asOf`, summed from the changes dated on or before it: the years before its year,
 * the months of its year before its month, the days of its month up to its day. The same figures as
 * `customerReceivables` computes from the `receivables` document (a property spec checks it).
 */
export const agingBalancesAsOf = (ledgers: readonly AgingRollupDoc[], asOf: BusinessDate): AgingBalances[] => {
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
    if (ledger.period === 'now') {
      account.open = (ledger.cells.accounts?.[0] ?? 0) > 0;
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
