import { defineProjection, Lookup, Recorded, RollupContribution, writtenBy } from '@salesline/core';
import { assertNever, compareDates, everyEventType } from '@salesline/shared-kernel';
import { AccountEvent, SourceKind } from '../domain/account';
import { ageReceivables, AgingBuckets } from '../domain/aging';
import { agingContributions } from './receivables-aging';

/**
 * Receivables read model: the customer accounts as a ledger of small documents, each bounded by its
 * own life, never by the account's history, so that folding one more event into an account of
 * 100,000 events costs what it costs in a new one (ADR 0027):
 *
 *   account:<customerId>                    the account exists (any account event)
 *   invoice:<customerId>:<invoiceId>        one posted invoice: its dated history and disputes
 *   source:<customerId>:<kind>:<sourceId>   money received (payment, deposit, credit-note surplus) and its history
 *   reservation:<customerId>:<orderId>      the credit an open order holds (deleted when released or billed)
 *   totals:<customerId>                     a rollup kept by the runtime: the sum and count of the open reservations
 *
 * Everything is dated by BUSINESS date so balances and aging can be computed AS OF any date D (only
 * entries dated ≤ D count); reservations are a now-fact and are not dated. Amounts in history are
 * positive; 'posted'/'received' add, the others subtract. A credit note's part above the invoice's
 * open balance becomes a 'credit_note' source (ADR 0108); the split is computed when the event is
 * applied, from the invoice as it stood before the note, as the account decider does.
 *
 * A query reads one account's documents other than its reservations (`ReceivablesAccount`, assembled by
 * `receivablesAccountOf`): the reservations count through their rollup.
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

/** That the customer has an account: written by its first event, so the list names accounts without reading their invoices. */
export type ReceivablesAccountDoc = { id: string; docType: 'account'; customerId: string };
export type ReceivablesInvoiceDoc = ReceivablesInvoice & { id: string; docType: 'invoice'; customerId: string };
export type ReceivablesSourceDoc = ReceivablesSource & { id: string; docType: 'source'; customerId: string };
/** Credit reserved for one confirmed, not yet billed order (`amount`, minor units, > 0). */
export type CreditReservationDoc = { id: string; docType: 'reservation'; customerId: string; orderId: string; amount: number };
/** The rollup of an account's open reservations (a `RollupDocument`): `cells.reserved` = [amount, reservations]. */
export type ReservationTotalsDoc = { id: string; docType: 'totals'; customerId: string; cells: { reserved?: [number, number] } };

/** What the projection's evolve writes. */
export type ReceivablesLedgerDoc = ReceivablesAccountDoc | ReceivablesInvoiceDoc | ReceivablesSourceDoc | CreditReservationDoc;
/** Every document of the collection: the ledger's and the rollups the runtime keeps beside them. */
export type ReceivablesLedgerEntry = ReceivablesLedgerDoc | ReservationTotalsDoc;

/** One account as the queries read it: its invoices and sources by key, and the sum of its open reservations. */
export type ReceivablesAccount = {
  id: string;
  customerId: string;
  invoices: Record<string, ReceivablesInvoice>;
  /** Keyed by `${kind}:${sourceId}` (a payment and a deposit may share an id). */
  sources: Record<string, ReceivablesSource>;
  reservedForOrders: number;
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

const RESERVATION_EVENT_TYPES = new Set<string>(['CreditReserved', 'CreditReservationRefused', 'CreditReservationReleased']);

const sourceKey = (kind: SourceKind, id: string) => `${kind}:${id}`;
export const accountDocId = (customerId: string) => `account:${customerId}`;
export const invoiceDocId = (customerId: string, invoiceId: string) => `invoice:${customerId}:${invoiceId}`;
export const sourceDocId = (customerId: string, kind: SourceKind, sourceId: string) => `source:${customerId}:${sourceKey(kind, sourceId)}`;
export const reservationDocId = (customerId: string, orderId: string) => `reservation:${customerId}:${orderId}`;
export const reservationTotalsId = (customerId: string) => `totals:${customerId}`;

/** The account of a customer with no activity yet: every figure zero. */
export const emptyAccount = (customerId: string): ReceivablesAccount => ({
  id: customerId,
  customerId,
  invoices: {},
  sources: {},
  reservedForOrders: 0,
});

/** The document types a query reads to assemble accounts (not the reservations: their rollup sums them). */
export const ACCOUNT_QUERY_DOC_TYPES = ['account', 'invoice', 'source', 'totals'] as const;

/** Assembles one account from its documents (any order; reservation documents are not needed). */
export const receivablesAccountOf = (customerId: string, docs: readonly ReceivablesLedgerEntry[]): ReceivablesAccount => {
  const account = emptyAccount(customerId);
  for (const doc of docs) {
    if (doc.customerId !== customerId) continue;
    switch (doc.docType) {
      case 'invoice': {
        const { id: _id, docType: _type, customerId: _customer, ...invoice } = doc;
        account.invoices[invoice.invoiceId] = invoice;
        break;
      }
      case 'source': {
        const { id: _id, docType: _type, customerId: _customer, ...source } = doc;
        account.sources[sourceKey(source.kind, source.sourceId)] = source;
        break;
      }
      case 'totals':
        account.reservedForOrders = doc.cells.reserved?.[0] ?? 0;
        break;
      case 'account':
      case 'reservation':
        break;
      default:
        assertNever(doc);
    }
  }
  return account;
};

/** Every account the documents name (those with an `account` document), sorted by customer id. */
export const receivablesAccountsOf = (docs: readonly ReceivablesLedgerEntry[]): ReceivablesAccount[] => {
  const byCustomer = new Map<string, ReceivablesLedgerEntry[]>();
  for (const doc of docs) {
    const list = byCustomer.get(doc.customerId);
    if (list) list.push(doc);
    else byCustomer.set(doc.customerId, [doc]);
  }
  return [...byCustomer]
    .filter(([, list]) => list.some((d) => d.docType === 'account'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([customerId, list]) => receivablesAccountOf(customerId, list));
};

const onOrBefore = (date: string, asOf: string | null) => asOf === null || compareDates(date, asOf) <= 0;

/** Open balance of an invoice counting only entries dated ≤ asOf (null: everything). */
export const invoiceBalanceAsOf = (invoice: ReceivablesInvoice, asOf: string | null = null): number =>
  invoice.history.filter((e) => onOrBefore(e.date, asOf)).reduce((sum, e) => sum + (e.kind === 'posted' ? e.amount : -e.amount), 0);

export const sourceUnallocatedAsOf = (source: ReceivablesSource, asOf: string | null = null): number =>
  source.history.filter((e) => onOrBefore(e.date, asOf)).reduce((sum, e) => sum + (e.kind === 'received' ? e.amount : -e.amount), 0);

export const isDisputedAsOf = (invoice: ReceivablesInvoice, asOf: string | null = null): boolean =>
  invoice.disputes.some((d) => onOrBefore(d.from, asOf) && (d.to === null || (asOf !== null && compareDates(asOf, d.to) < 0)));

export const openInvoicesAsOf = (account: ReceivablesAccount, asOf: string | null = null) =>
  Object.values(account.invoices)
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
export const receivablesAsOf = (account: ReceivablesAccount, asOf: string): ReceivablesSummary => {
  const open = openInvoicesAsOf(account, asOf);
  return {
    asOf,
    openReceivables: open.reduce((a, i) => a + i.openBalance, 0),
    disputedAmount: open.filter((i) => i.disputed).reduce((a, i) => a + i.openBalance, 0),
    unallocatedCredit: Object.values(account.sources).reduce((a, s) => a + sourceUnallocatedAsOf(s, asOf), 0),
    reservedForOrders: account.reservedForOrders,
    aging: ageReceivables(open, asOf),
  };
};

// ── evolve: each document from its own events ───────────────────────────────────────────
type Event = Recorded<AccountEvent>;

const evolveReservation = (doc: CreditReservationDoc | null, e: Event, id: string, customerId: string): CreditReservationDoc | null => {
  const reservation = (orderId: string, amount: number): CreditReservationDoc | null =>
    amount > 0 ? { id, docType: 'reservation', customerId, orderId, amount } : null;
  const current = doc?.amount ?? 0;
  switch (e.type) {
    case 'CreditReserved':
      return reservation(e.data.orderId, e.data.amount);
    case 'CreditReservationReleased':
      return reservation(e.data.orderId, current - e.data.amount);
    case 'InvoicePosted':
      return reservation(e.data.orderId, Math.max(0, current - e.data.amount));
    default:
      return doc;
  }
};

const withInvoiceEntry = (doc: ReceivablesInvoiceDoc, entry: InvoiceEntry): ReceivablesInvoiceDoc => ({
  ...doc,
  history: [...doc.history, entry],
});
/** The part of a credit note the invoice absorbs: at most its open balance before the note. */
const creditNoteApplied = (invoice: ReceivablesInvoice, amount: number) => Math.min(amount, Math.max(0, invoiceBalanceAsOf(invoice)));

const evolveInvoice = (doc: ReceivablesInvoiceDoc | null, e: Event, id: string, customerId: string): ReceivablesInvoiceDoc | null => {
  if (e.type === 'InvoicePosted') {
    const d = e.data;
    return {
      id,
      docType: 'invoice',
      customerId,
      invoiceId: d.invoiceId,
      orderId: d.orderId,
      amount: d.amount,
      invoiceDate: d.invoiceDate,
      dueDate: d.dueDate,
      history: [{ date: d.invoiceDate, kind: 'posted', amount: d.amount, ref: null }],
      disputes: [],
    };
  }
  if (!doc) return doc;
  switch (e.type) {
    case 'CreditNotePosted': {
      const applied = creditNoteApplied(doc, e.data.amount);
      return applied > 0
        ? withInvoiceEntry(doc, { date: e.data.issuedOn, kind: 'credited', amount: applied, ref: e.data.creditNoteId })
        : doc;
    }
    case 'PaymentAllocated':
      return withInvoiceEntry(doc, { date: e.data.allocatedOn, kind: 'allocated', amount: e.data.amount, ref: e.data.sourceId });
    case 'PaymentRefused':
      return { ...doc, disputes: [...doc.disputes, { from: e.data.refusedOn, to: null, reason: e.data.reason }] };
    case 'DisputeSettled':
      return { ...doc, disputes: doc.disputes.map((x) => (x.to === null ? { ...x, to: e.data.settledOn } : x)) };
    case 'InvoiceWrittenOff':
      return withInvoiceEntry(doc, { date: e.data.writtenOffOn, kind: 'written_off', amount: e.data.amount, ref: e.data.reason });
    default:
      return doc;
  }
};

const evolveSource = (
  doc: ReceivablesSourceDoc | null,
  e: Event,
  id: string,
  customerId: string,
  lookup: Lookup<ReceivablesLedgerDoc>,
): ReceivablesSourceDoc | null => {
  const received = (kind: SourceKind, sourceId: string, amount: number, date: string, ref: string | null): ReceivablesSourceDoc => ({
    id,
    docType: 'source',
    customerId,
    sourceId,
    kind,
    history: [{ date, kind: 'received', amount, ref }],
  });
  const withEntry = (entry: SourceEntry) => (doc ? { ...doc, history: [...doc.history, entry] } : doc);
  switch (e.type) {
    case 'CreditNotePosted': {
      const d = e.data;
      // The invoice as it stood before the note (it is evolved after this document: see documentIds). On a
      // redelivery the invoice already holds the note's entry: the part applied then, not the balance now, decides.
      const invoice = lookup(invoiceDocId(customerId, d.invoiceId));
      if (invoice?.docType !== 'invoice') return doc;
      const credited = invoice.history.find((entry) => entry.kind === 'credited' && entry.ref === d.creditNoteId);
      const surplus = d.amount - (credited ? credited.amount : creditNoteApplied(invoice, d.amount));
      return surplus > 0 ? received('credit_note', d.creditNoteId, surplus, d.issuedOn, d.invoiceId) : doc;
    }
    case 'DepositReceived':
      return received('deposit', e.data.depositId, e.data.amount, e.data.receivedOn, e.data.reference);
    case 'PaymentReceived':
      return received('payment', e.data.paymentId, e.data.amount, e.data.receivedOn, e.data.reference);
    case 'DepositRefunded':
      return withEntry({ date: e.data.refundedOn, kind: 'refunded', amount: e.data.amount, ref: null });
    case 'PaymentAllocated':
      return withEntry({ date: e.data.allocatedOn, kind: 'allocated', amount: e.data.amount, ref: e.data.invoiceId });
    default:
      return doc;
  }
};

/** The documents an account event changes, the account's own first (a credit note's surplus before its invoice). */
const ledgerDocumentIds = (e: Event, customerId: string): string[] => {
  const account = accountDocId(customerId);
  switch (e.type) {
    case 'CreditReserved':
    case 'CreditReservationReleased':
      return [account, reservationDocId(customerId, e.data.orderId)];
    case 'CreditReservationRefused':
      return [account];
    case 'InvoicePosted':
      return [account, reservationDocId(customerId, e.data.orderId), invoiceDocId(customerId, e.data.invoiceId)];
    case 'CreditNotePosted':
      return [account, sourceDocId(customerId, 'credit_note', e.data.creditNoteId), invoiceDocId(customerId, e.data.invoiceId)];
    case 'DepositReceived':
    case 'DepositRefunded':
      return [account, sourceDocId(customerId, 'deposit', e.data.depositId)];
    case 'PaymentReceived':
      return [account, sourceDocId(customerId, 'payment', e.data.paymentId)];
    case 'PaymentAllocated':
      return [account, sourceDocId(customerId, e.data.sourceKind, e.data.sourceId), invoiceDocId(customerId, e.data.invoiceId)];
    case 'PaymentRefused':
    case 'DisputeSettled':
    case 'InvoiceWrittenOff':
      return [account, invoiceDocId(customerId, e.data.invoiceId)];
    default:
      return assertNever(e);
  }
};

export const evolveReceivablesLedger = (
  doc: ReceivablesLedgerDoc | null,
  e: Event,
  documentId: string,
  lookup: Lookup<ReceivablesLedgerDoc>,
): ReceivablesLedgerDoc | null => {
  const customerId = customerIdOfAccountEvent(e);
  const kind = documentId.slice(0, documentId.indexOf(':'));
  switch (kind) {
    case 'account':
      return doc ?? { id: documentId, docType: 'account', customerId };
    case 'reservation':
      return evolveReservation(doc?.docType === 'reservation' ? doc : null, e, documentId, customerId);
    case 'invoice':
      return evolveInvoice(doc?.docType === 'invoice' ? doc : null, e, documentId, customerId);
    case 'source':
      return evolveSource(doc?.docType === 'source' ? doc : null, e, documentId, customerId, lookup);
    default:
      return doc;
  }
};

/** Each open reservation adds [amount, 1] to its account's `totals:<customerId>` rollup. */
const reservationTotals = (doc: ReceivablesLedgerDoc): RollupContribution[] =>
  doc.docType === 'reservation'
    ? [
        {
          id: reservationTotalsId(doc.customerId),
          fields: { docType: 'totals', customerId: doc.customerId },
          cell: 'reserved',
          values: [doc.amount, 1],
        },
      ]
    : [];

const ACCOUNT_STREAM_PREFIX = 'account-';
/** The account events carry no customerId: it is the stream's id, `account-<customerId>`. */
export const customerIdOfAccountEvent = (event: Pick<Recorded<AccountEvent>, 'streamName'>): string =>
  event.streamName.slice(ACCOUNT_STREAM_PREFIX.length);

/**
 * The ledger of every customer account. Named anew when its documents stopped being one per account
 * (the former `receivables`), so that a running system catches it up from the log on start.
 */
export const receivablesProjection = defineProjection<AccountEvent>()({
  name: 'receivables-ledger',
  collection: 'receivables_ledger',
  documentation: {
    document:
      'ReceivablesAccountDoc | ReceivablesInvoiceDoc | ReceivablesSourceDoc | CreditReservationDoc | ReservationTotalsDoc | AgingRollupDoc',
    context: 'receivables',
    summary:
      'The customer accounts as a ledger of documents each bounded by its own life (ADR 0027): one per account, per posted invoice (its dated history and disputes), per source of money (payment, deposit, credit-note surplus) and per open credit reservation, and a rollup per account summing its open reservations. Serves `GET /api/receivables?asOf=` (aging by due date), which reads an account without its reservation documents.',
    meanings: {
      id: '`account:<customerId>`, `invoice:<customerId>:<invoiceId>`, `source:<customerId>:<kind>:<sourceId>`, `reservation:<customerId>:<orderId>`, or `totals:<customerId>` for the rollup.',
      docType: '`account`, `invoice`, `source`, `reservation`, `totals` or `aging`: what the document holds.',
      period:
        'On an aging rollup (`aging:<customerId>:<period>`, ADR 0028): `years`, a year `YYYY` or a month `YYYY-MM`, the unit its cells are dated by (year, month, day).',
      customerId: 'The customer whose account this is (the id of its `account-<customerId>` stream).',
      invoiceId: 'The posted invoice.',
      orderId: 'The order invoiced (invoice), or holding the credit (reservation).',
      amount: 'Invoiced amount (invoice), or credit still reserved for the order (reservation), minor units.',
      invoiceDate: 'Business date of the invoice.',
      dueDate: 'Due date of the invoice.',
      history: 'Dated entries: posted, credited, allocated, written off (invoice); received, allocated, refunded (source).',
      disputes: 'Payment refusals of the invoice, with the date each was settled (null while open).',
      'disputes[].from': 'Business date of the refusal.',
      'disputes[].to': 'Business date of the settlement (null while open).',
      'disputes[].reason': 'Why the payment was refused.',
      sourceId: 'The payment, deposit or credit note the money came from.',
      kind: '`payment`, `deposit` or `credit_note`.',
      cells:
        "The rollup's cells: on `totals`, `reserved` → [credit reserved for orders, open reservations], summed over the account's reservation documents; on an aging rollup, `<unit>|i|<bucket>|<disputed 0/1>` (open balance) and `<unit>|s|<kind>` (unallocated) → [change dated in that year, month or day], from the invoices and sources.",
    },
    sources: {
      // Every account event writes the key fields of each document it touches (its account's at least).
      id: ACCOUNT_EVENT_TYPES,
      docType: ACCOUNT_EVENT_TYPES,
      customerId: ACCOUNT_EVENT_TYPES,
      ...writtenBy(['InvoicePosted'], ['invoiceId', 'invoiceDate', 'dueDate']),
      orderId: ['CreditReserved', 'InvoicePosted'],
      amount: ['CreditReserved', 'CreditReservationReleased', 'InvoicePosted'],
      history: [
        'InvoicePosted',
        'CreditNotePosted',
        'PaymentAllocated',
        'InvoiceWrittenOff',
        'PaymentReceived',
        'DepositReceived',
        'DepositRefunded',
      ],
      disputes: ['InvoicePosted', 'PaymentRefused', 'DisputeSettled'],
      ...writtenBy(['PaymentRefused'], ['disputes[].from', 'disputes[].reason']),
      'disputes[].to': ['PaymentRefused', 'DisputeSettled'],
      ...writtenBy(['PaymentReceived', 'DepositReceived', 'CreditNotePosted'], ['sourceId', 'kind']),
      // Every account event but a refusal moves a cell; only the invoices' and sources' events (not reservations) set a period.
      cells: ACCOUNT_EVENT_TYPES.filter((type) => type !== 'CreditReservationRefused'),
      period: ACCOUNT_EVENT_TYPES.filter((type) => !RESERVATION_EVENT_TYPES.has(type)),
    },
  },
  handles: ACCOUNT_EVENT_TYPES,
  indexes: [{ fields: ['docType', 'customerId'] }, { fields: ['customerId', 'docType'] }, { fields: ['docType', 'period'] }],
  documentIds: (event) =>
    event.streamName.startsWith(ACCOUNT_STREAM_PREFIX) ? ledgerDocumentIds(event, customerIdOfAccountEvent(event)) : [],
  lookups: (event) =>
    event.type === 'CreditNotePosted' && event.streamName.startsWith(ACCOUNT_STREAM_PREFIX)
      ? [invoiceDocId(customerIdOfAccountEvent(event), event.data.invoiceId)]
      : [],
  evolve: evolveReceivablesLedger,
  // The reservations' totals, and each invoice's and source's dated changes by year, month and day (ADR 0028).
  rollup: (doc) => [...reservationTotals(doc), ...agingContributions(doc)],
});
