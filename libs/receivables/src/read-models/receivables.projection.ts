import { defineProjection, Recorded } from '@salesline/core';
import { assertNever, compareDates, everyEventType } from '@salesline/shared-kernel';
import { AccountEvent, SourceKind } from '../domain/account';
import { ageReceivables, AgingBuckets } from '../domain/aging';

/**
 * Receivables read model: one document per customer account, as a pure evolve
 * `(doc | null, event, customerId) → doc` over the account events (the document id is the
 * customerId of the `account-<customerId>` stream).
 *
 * Doc shape — everything dated by BUSINESS date so balances and aging can be computed AS OF any
 * date D (only entries dated ≤ D count):
 *   invoices[invoiceId] = { invoiceId, orderId, amount, invoiceDate, dueDate,
 *                           history: [{ date, kind: 'posted'|'allocated'|'credited'|'written_off', amount, ref }],
 *                           disputes: [{ from, to|null, reason }] }
 *   sources['payment:<id>'|'deposit:<id>'|'credit_note:<id>'] = { sourceId, kind,
 *                           history: [{ date, kind: 'received'|'allocated'|'refunded', amount, ref }] }
 *   reservations[orderId] = amount currently reserved (not dated: credit reservations are a now-fact)
 * Amounts in history are positive; 'posted'/'received' add, the others subtract.
 * A credit note's part above the invoice's open balance becomes a 'credit_note' source (ADR 0108);
 * the split is computed when the event is applied, as the account decider does.
 */
export type InvoiceEntry = { date: string; kind: 'posted' | 'allocated' | 'credited' | 'written_off'; amount: number; ref: string | null };
export type SourceEntry = { date: string; kind: 'received' | 'allocated' | 'refunded'; amount: number; ref: string | null };
export type ReceivablesInvoice = {
  invoiceId: string;
  orderId: string;
  amount: number;
  invoiceDate: string;
  dueDate: string;
  history: InvoiceEntry[];
  disputes: { from: string; to: string | null; reason: string }[];
};
export type ReceivablesSource = { sourceId: string; kind: SourceKind; history: SourceEntry[] };
export type ReceivablesDoc = {
  id: string;
  customerId: string;
  invoices: Record<string, ReceivablesInvoice>;
  sources: Record<string, ReceivablesSource>;
  reservations: Record<string, number>;
};

export const ACCOUNT_EVENT_TYPES = everyEventType<AccountEvent>()([
  'CreditReserved',
  'CreditReservationRefused',
  'CreditReservationReleased',
  'InvoicePosted',
  'CreditNotePosted',
  'DepositReceived',
  'DepositRefunded',
  'PaymentReceived',
  'PaymentAllocated',
  'PaymentRefused',
  'DisputeSettled',
  'InvoiceWrittenOff',
]);

/** The account of a customer with no activity yet: every figure zero. */
export const emptyDoc = (customerId: string): ReceivablesDoc => ({
  id: customerId,
  customerId,
  invoices: {},
  sources: {},
  reservations: {},
});
const onOrBefore = (date: string, asOf: string | null) => asOf === null || compareDates(date, asOf) <= 0;

/** Open balance of an invoice counting only entries dated ≤ asOf (null: everything). */
export const invoiceBalanceAsOf = (invoice: ReceivablesInvoice, asOf: string | null = null): number =>
  invoice.history.filter((e) => onOrBefore(e.date, asOf)).reduce((sum, e) => sum + (e.kind === 'posted' ? e.amount : -e.amount), 0);

export const sourceUnallocatedAsOf = (source: ReceivablesSource, asOf: string | null = null): number =>
  source.history.filter((e) => onOrBefore(e.date, asOf)).reduce((sum, e) => sum + (e.kind === 'received' ? e.amount : -e.amount), 0);

export const isDisputedAsOf = (invoice: ReceivablesInvoice, asOf: string | null = null): boolean =>
  invoice.disputes.some((d) => onOrBefore(d.from, asOf) && (d.to === null || (asOf !== null && compareDates(asOf, d.to) < 0)));

export const openInvoicesAsOf = (doc: ReceivablesDoc, asOf: string | null = null) =>
  Object.values(doc.invoices)
    .filter((i) => onOrBefore(i.invoiceDate, asOf))
    .map((i) => ({
      invoiceId: i.invoiceId,
      orderId: i.orderId,
      dueDate: i.dueDate,
      openBalance: invoiceBalanceAsOf(i, asOf),
      disputed: isDisputedAsOf(i, asOf),
    }))
    .filter((i) => i.openBalance !== 0)
    .sort((a, b) => compareDates(a.dueDate, b.dueDate) || (a.invoiceId < b.invoiceId ? -1 : 1));

export type ReceivablesSummary = {
  asOf: string;
  openReceivables: number;
  disputedAmount: number;
  unallocatedCredit: number;
  reservedForOrders: number;
  aging: AgingBuckets;
};

/** Balances and aging as of a business date. */
export const receivablesAsOf = (doc: ReceivablesDoc, asOf: string): ReceivablesSummary => {
  const open = openInvoicesAsOf(doc, asOf);
  return {
    asOf,
    openReceivables: open.reduce((a, i) => a + i.openBalance, 0),
    disputedAmount: open.filter((i) => i.disputed).reduce((a, i) => a + i.openBalance, 0),
    unallocatedCredit: Object.values(doc.sources).reduce((a, s) => a + sourceUnallocatedAsOf(s, asOf), 0),
    reservedForOrders: Object.values(doc.reservations).reduce((a, r) => a + r, 0),
    aging: ageReceivables(open, asOf),
  };
};

// ── evolve ──────────────────────────────────────────────────────────────────────────────
const key = (kind: SourceKind, id: string) => `${kind}:${id}`;
const withInvoice = (doc: ReceivablesDoc, invoiceId: string, change: (i: ReceivablesInvoice) => ReceivablesInvoice): ReceivablesDoc => {
  const inv = doc.invoices[invoiceId];
  return inv ? { ...doc, invoices: { ...doc.invoices, [invoiceId]: change(inv) } } : doc;
};
const withSource = (doc: ReceivablesDoc, k: string, change: (s: ReceivablesSource) => ReceivablesSource): ReceivablesDoc => {
  const s = doc.sources[k];
  return s ? { ...doc, sources: { ...doc.sources, [k]: change(s) } } : doc;
};
const newSource = (
  doc: ReceivablesDoc,
  kind: SourceKind,
  sourceId: string,
  amount: number,
  date: string,
  ref: string | null,
): ReceivablesDoc => ({
  ...doc,
  sources: { ...doc.sources, [key(kind, sourceId)]: { sourceId, kind, history: [{ date, kind: 'received', amount, ref }] } },
});
const setReservation = (doc: ReceivablesDoc, orderId: string, amount: number): ReceivablesDoc => {
  const { [orderId]: _, ...rest } = doc.reservations;
  return { ...doc, reservations: amount > 0 ? { ...rest, [orderId]: amount } : rest };
};
const addEntry = (e: InvoiceEntry) => (i: ReceivablesInvoice) => ({ ...i, history: [...i.history, e] });

export const evolveReceivablesDoc = (
  current: ReceivablesDoc | null,
  e: Recorded<AccountEvent>,
  customerId: string,
): ReceivablesDoc | null => {
  const doc = current ?? emptyDoc(customerId);
  switch (e.type) {
    case 'CreditReserved':
      return setReservation(doc, e.data.orderId, e.data.amount);
    case 'CreditReservationRefused':
      return doc;
    case 'CreditReservationReleased':
      return setReservation(doc, e.data.orderId, (doc.reservations[e.data.orderId] ?? 0) - e.data.amount);
    case 'InvoicePosted': {
      const d = e.data;
      const reserved = setReservation(doc, d.orderId, Math.max(0, (doc.reservations[d.orderId] ?? 0) - d.amount));
      const invoice: ReceivablesInvoice = {
        invoiceId: d.invoiceId,
        orderId: d.orderId,
        amount: d.amount,
        invoiceDate: d.invoiceDate,
        dueDate: d.dueDate,
        history: [{ date: d.invoiceDate, kind: 'posted', amount: d.amount, ref: null }],
        disputes: [],
      };
      return { ...reserved, invoices: { ...reserved.invoices, [d.invoiceId]: invoice } };
    }
    case 'CreditNotePosted': {
      const d = e.data;
      const inv = doc.invoices[d.invoiceId];
      if (!inv) return doc;
      const applied = Math.min(d.amount, Math.max(0, invoiceBalanceAsOf(inv)));
      const credited =
        applied > 0
          ? withInvoice(doc, d.invoiceId, addEntry({ date: d.issuedOn, kind: 'credited', amount: applied, ref: d.creditNoteId }))
          : doc;
      return d.amount > applied
        ? newSource(credited, 'credit_note', d.creditNoteId, d.amount - applied, d.issuedOn, d.invoiceId)
        : credited;
    }
    case 'DepositReceived':
      return newSource(doc, 'deposit', e.data.depositId, e.data.amount, e.data.receivedOn, e.data.reference);
    case 'PaymentReceived':
      return newSource(doc, 'payment', e.data.paymentId, e.data.amount, e.data.receivedOn, e.data.reference);
    case 'DepositRefunded':
      return withSource(doc, key('deposit', e.data.depositId), (s) => ({
        ...s,
        history: [...s.history, { date: e.data.refundedOn, kind: 'refunded', amount: e.data.amount, ref: null }],
      }));
    case 'PaymentAllocated': {
      const d = e.data;
      const fromSource = withSource(doc, key(d.sourceKind, d.sourceId), (s) => ({
        ...s,
        history: [...s.history, { date: d.allocatedOn, kind: 'allocated', amount: d.amount, ref: d.invoiceId }],
      }));
      return withInvoice(fromSource, d.invoiceId, addEntry({ date: d.allocatedOn, kind: 'allocated', amount: d.amount, ref: d.sourceId }));
    }
    case 'PaymentRefused':
      return withInvoice(doc, e.data.invoiceId, (i) => ({
        ...i,
        disputes: [...i.disputes, { from: e.data.refusedOn, to: null, reason: e.data.reason }],
      }));
    case 'DisputeSettled':
      return withInvoice(doc, e.data.invoiceId, (i) => ({
        ...i,
        disputes: i.disputes.map((x) => (x.to === null ? { ...x, to: e.data.settledOn } : x)),
      }));
    case 'InvoiceWrittenOff':
      return withInvoice(
        doc,
        e.data.invoiceId,
        addEntry({ date: e.data.writtenOffOn, kind: 'written_off', amount: e.data.amount, ref: e.data.reason }),
      );
    default:
      return assertNever(e);
  }
};

const ACCOUNT_STREAM_PREFIX = 'account-';
/** The account events carry no customerId: it is the stream's id, `account-<customerId>`. */
export const customerIdOfAccountEvent = (event: Pick<Recorded<AccountEvent>, 'streamName'>): string =>
  event.streamName.slice(ACCOUNT_STREAM_PREFIX.length);

/** One document per customer account. */
export const receivablesProjection = defineProjection<AccountEvent>()({
  name: 'receivables',
  collection: 'receivables',
  documentation: {
    document: 'ReceivablesDoc',
    context: 'receivables',
    summary:
      'One document per customer account: open invoices with due dates, credit notes, deposits, payments and allocations, reservations. Serves `GET /api/receivables?asOf=` (aging by due date).',
    unchangedBy: {
      CreditReservationRefused: 'a refused reservation reserves nothing: the order waits on credit hold (order_board)',
    },
    meanings: {
      id: 'The customer id.',
      customerId: 'The customer whose account this is.',
      invoices: 'Posted invoices by invoice id, each with its history (posted, credited, allocated, written off) and disputes.',
      sources: 'Money received by kind and id (payments, deposits, credit-note surpluses) with its history of allocations and refunds.',
      reservations: 'Open credit reservations by order id, minor units.',
    },
    sources: {
      id: ['CreditReserved'],
      customerId: ['CreditReserved'],
      invoices: [
        'CreditReserved',
        'InvoicePosted',
        'CreditNotePosted',
        'PaymentAllocated',
        'PaymentRefused',
        'DisputeSettled',
        'InvoiceWrittenOff',
      ],
      sources: ['CreditReserved', 'PaymentReceived', 'PaymentAllocated', 'DepositReceived', 'DepositRefunded', 'CreditNotePosted'],
      reservations: ['CreditReserved', 'InvoicePosted', 'CreditReservationReleased'],
    },
  },
  handles: ACCOUNT_EVENT_TYPES,
  documentIds: (event) => (event.streamName.startsWith(ACCOUNT_STREAM_PREFIX) ? [customerIdOfAccountEvent(event)] : []),
  evolve: evolveReceivablesDoc,
});
