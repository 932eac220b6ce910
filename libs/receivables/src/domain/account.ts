import type { Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { assertNever, compareDates, conflict, notFound, ruleViolation } from '@salesline/shared-kernel';
import { BucketedRecord, bucketedEntries, bucketedEntry, withBucketedEntry, withoutBucketedEntry } from '@salesline/shared-kernel';
import { computeExposure, CreditHoldReason } from './credit-check';
import { requireAmount, requireDate, requireId, requireRole, requireText } from '@salesline/shared-kernel';

/**
 * The customer account (stream `account-<customerId>`): invoices and their open balances,
 * deposits, payments, allocations, disputes, write-offs AND the credit reserved for confirmed
 * but unbilled orders. A credit check is one decision on this one stream, so optimistic
 * concurrency serialises two orders racing for the same credit (ADR 0104).
 */
export const accountStream = (customerId: string) => `account-${customerId}`;

export type SourceKind = 'payment' | 'deposit' | 'credit_note';
export type DisputeOutcome = 'customer_pays' | 'credited' | 'written_off';

// ── events ──────────────────────────────────────────────────────────────────────────────
export type CreditReserved = DomainEvent<
  'CreditReserved',
  /** `amount` is the order's whole reservation after this decision (re-reserving replaces it). */
  { orderId: string; amount: number; exposure: number; creditLimit: number | null; decidedOn: string; forcedBy: string | null }
>;
export type CreditReservationRefused = DomainEvent<
  'CreditReservationRefused',
  {
    orderId: string;
    amount: number;
    exposure: number;
    creditLimit: number | null;
    reason: Exclude<CreditHoldReason, 'recheck_at_delivery' | 'recheck_at_replacement'>;
    decidedOn: string;
  }
>;
export type CreditReservationReleased = DomainEvent<'CreditReservationReleased', { orderId: string; amount: number; releasedOn: string }>;
export type InvoicePosted = DomainEvent<
  'InvoicePosted',
  { invoiceId: string; orderId: string; amount: number; invoiceDate: string; dueDate: string }
>;
export type CreditNotePosted = DomainEvent<
  'CreditNotePosted',
  { creditNoteId: string; invoiceId: string; orderId: string; amount: number; issuedOn: string }
>;
export type DepositReceived = DomainEvent<
  'DepositReceived',
  { depositId: string; amount: number; receivedOn: string; reference: string | null }
>;
export type DepositRefunded = DomainEvent<'DepositRefunded', { depositId: string; amount: number; refundedOn: string }>;
export type PaymentReceived = DomainEvent<
  'PaymentReceived',
  { paymentId: string; amount: number; receivedOn: string; reference: string | null }
>;
export type PaymentAllocated = DomainEvent<
  'PaymentAllocated',
  { sourceId: string; sourceKind: SourceKind; invoiceId: string; amount: number; allocatedOn: string }
>;
export type PaymentRefused = DomainEvent<'PaymentRefused', { invoiceId: string; reason: string; refusedOn: string }>;
export type DisputeSettled = DomainEvent<'DisputeSettled', { invoiceId: string; outcome: DisputeOutcome; settledOn: string }>;
export type InvoiceWrittenOff = DomainEvent<
  'InvoiceWrittenOff',
  { invoiceId: string; amount: number; reason: string; writtenOffOn: string }
>;

export type AccountEvent =
  | CreditReserved
  | CreditReservationRefused
  | CreditReservationReleased
  | InvoicePosted
  | CreditNotePosted
  | DepositReceived
  | DepositRefunded
  | PaymentReceived
  | PaymentAllocated
  | PaymentRefused
  | DisputeSettled
  | InvoiceWrittenOff;

// ── commands ────────────────────────────────────────────────────────────────────────────
/** `decidedOn`: the business date of the order fact that asks for the credit (default today). */
export type ReserveCredit = Command<
  'ReserveCredit',
  {
    orderId: string;
    amount: number;
    creditLimit: number | null;
    customerBlocked: boolean;
    force?: { releasedBy: string } | null;
    decidedOn?: string;
  }
>;
export type ReleaseCreditReservation = Command<'ReleaseCreditReservation', { orderId: string; amount?: number; releasedOn?: string }>;
export type PostInvoice = Command<
  'PostInvoice',
  { invoiceId: string; orderId: string; amount: number; invoiceDate: string; dueDate: string }
>;
export type PostCreditNote = Command<
  'PostCreditNote',
  { creditNoteId: string; invoiceId: string; orderId: string; amount: number; issuedOn: string }
>;
export type ReceiveDeposit = Command<
  'ReceiveDeposit',
  { depositId: string; amount: number; receivedOn: string; reference?: string | null }
>;
export type RefundDeposit = Command<'RefundDeposit', { depositId: string; amount?: number; refundedOn?: string }>;
export type ReceivePayment = Command<
  'ReceivePayment',
  {
    paymentId: string;
    amount: number;
    receivedOn: string;
    reference?: string | null;
    allocations?: { invoiceId: string; amount: number }[];
  }
>;
export type AllocateCredit = Command<
  'AllocateCredit',
  { sourceId: string; sourceKind: SourceKind; invoiceId: string; amount: number; allocatedOn?: string }
>;
export type RefusePayment = Command<'RefusePayment', { invoiceId: string; reason: string; refusedOn?: string }>;
export type SettleDispute = Command<'SettleDispute', { invoiceId: string; outcome: DisputeOutcome; settledOn?: string }>;
export type WriteOffInvoice = Command<'WriteOffInvoice', { invoiceId: string; amount?: number; reason: string; writtenOffOn?: string }>;

export type AccountCommand =
  | ReserveCredit
  | ReleaseCreditReservation
  | PostInvoice
  | PostCreditNote
  | ReceiveDeposit
  | RefundDeposit
  | ReceivePayment
  | AllocateCredit
  | RefusePayment
  | SettleDispute
  | WriteOffInvoice;

// ── state ───────────────────────────────────────────────────────────────────────────────
export type InvoiceBalance = {
  invoiceId: string;
  orderId: string;
  amount: number;
  invoiceDate: string;
  dueDate: string;
  /** Paid by allocations (payments, deposits, credit-note excess). */
  allocated: number;
  /** Reduced by credit notes (the part applied to this invoice). */
  credited: number;
  /** Sum of the credit notes issued against this invoice (never above `amount`). */
  creditNoteTotal: number;
  writtenOff: number;
  disputed: boolean;
};
export type CreditSource = { sourceId: string; kind: SourceKind; amount: number; allocated: number; refunded: number; receivedOn: string };

/** The account exists from its first event; a single variant keeps the `status` tag for symmetry. */
export type AccountState = {
  status: 'open';
  /**
   * Every invoice ever posted, bucketed by id like the reservations: a command changes one bucket
   * and never copies the account's whole history of invoices (ADR 0012).
   */
  invoices: BucketedRecord<InvoiceBalance>;
  /** The ids of the invoices whose open balance is not zero: allocation, dunning and disputes read these, never the settled past. */
  unsettledInvoices: BucketedRecord<true>;
  /** Keyed by `${kind}:${sourceId}` (a payment and a deposit may share an id), bucketed. */
  sources: BucketedRecord<CreditSource>;
  /** The keys of the sources whose unallocated amount is not zero, for the same reason. */
  unsettledSources: BucketedRecord<true>;
  /** Credit note id → invoice id: the duplicate check is one lookup, not a scan of every invoice. */
  creditNotes: BucketedRecord<string>;
  /**
   * Credit reserved per confirmed, not yet billed order, bucketed: a wholesale account may hold many
   * thousands, and a decision on one order must not copy them all (ADR 0012).
   */
  reservations: BucketedRecord<number>;
  /** The sum of `reservations`, kept by evolve: a credit decision does not add up every open order of the account. */
  reserved: number;
  /** The sum of the invoices' open balances, kept by evolve: a credit decision does not add up every invoice ever posted. */
  receivable: number;
  /** The sum of the sources' unallocated amounts, kept by evolve, for the same reason. */
  onAccount: number;
};

const sourceKey = (kind: SourceKind, id: string) => `${kind}:${id}`;

// ── pure queries ────────────────────────────────────────────────────────────────────────
export const openBalance = (i: InvoiceBalance): number => i.amount - i.allocated - i.credited - i.writtenOff;
export const unallocated = (s: CreditSource): number => s.amount - s.allocated - s.refunded;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The invoice posted under this id, or undefined. */
export const invoiceOn = (state: AccountState, invoiceId: string): InvoiceBalance | undefined => bucketedEntry(state.invoices, invoiceId);
/** Every invoice ever posted (in no particular order). */
export const accountInvoices = (state: AccountState): InvoiceBalance[] => bucketedEntries(state.invoices).map(([, invoice]) => invoice);
/** The source of this kind and id, or undefined. */
export const sourceOn = (state: AccountState, kind: SourceKind, sourceId: string): CreditSource | undefined =>
  bucketedEntry(state.sources, sourceKey(kind, sourceId));
/** Every payment, deposit and credit-note excess ever received (in no particular order). */
export const accountSources = (state: AccountState): CreditSource[] => bucketedEntries(state.sources).map(([, source]) => source);
/** Whether a credit note with this id is on the account. */
export const creditNotePosted = (state: AccountState, creditNoteId: string): boolean =>
  bucketedEntry(state.creditNotes, creditNoteId) !== undefined;

/** The invoices whose open balance is not zero; a settled invoice contributes nothing to what reads these. */
const unsettledInvoices = (state: AccountState): InvoiceBalance[] =>
  bucketedEntries(state.unsettledInvoices).map(([invoiceId]) => invoiceOn(state, invoiceId)!);
const unsettledSources = (state: AccountState): CreditSource[] =>
  bucketedEntries(state.unsettledSources).map(([key]) => bucketedEntry(state.sources, key)!);
const unallocatedOf = (state: AccountState, kind: SourceKind) =>
  sum(
    unsettledSources(state)
      .filter((s) => s.kind === kind)
      .map(unallocated),
  );

export const openReceivables = (state: AccountState): number => state.receivable;
export const unallocatedDeposits = (state: AccountState): number => unallocatedOf(state, 'deposit');
export const unallocatedPayments = (state: AccountState): number => unallocatedOf(state, 'payment');
export const unallocatedCreditNotes = (state: AccountState): number => unallocatedOf(state, 'credit_note');
/** All customer money on account not yet allocated to an invoice. */
export const unallocatedCredit = (state: AccountState): number => state.onAccount;
export const reservedForOrders = (state: AccountState): number => state.reserved;
export const reservationOf = (state: AccountState, orderId: string): number => bucketedEntry(state.reservations, orderId) ?? 0;
/** Every open reservation, by order id. */
export const openReservations = (state: AccountState): [orderId: string, amount: number][] => bucketedEntries(state.reservations);
export const disputedAmount = (state: AccountState): number =>
  sum(
    unsettledInvoices(state)
      .filter((i) => i.disputed)
      .map(openBalance),
  );

export const exposure = (state: AccountState, thisOrder = 0): number =>
  computeExposure({
    openReceivables: openReceivables(state),
    confirmedUnbilledOrders: reservedForOrders(state),
    thisOrder,
    unallocatedDeposits: unallocatedCredit(state),
  });

/** Exposure without one order's own reservation: what a (re)check of that order starts from. */
export const exposureExcludingOrder = (state: AccountState, orderId: string): number => exposure(state) - reservationOf(state, orderId);

const byOldestDue = (a: InvoiceBalance, b: InvoiceBalance) =>
  compareDates(a.dueDate, b.dueDate) ||
  compareDates(a.invoiceDate, b.invoiceDate) ||
  (a.invoiceId < b.invoiceId ? -1 : a.invoiceId > b.invoiceId ? 1 : 0);

/** Invoices with an open balance, oldest due first. */
export const openInvoices = (state: AccountState) =>
  unsettledInvoices(state)
    .filter((i) => openBalance(i) > 0)
    .sort(byOldestDue)
    .map((i) => ({ ...i, openBalance: openBalance(i) }));

/** Overdue, open and not disputed: what dunning chases. Disputed invoices stay in exposure but out of dunning. */
export const dunnableInvoices = (state: AccountState, asOf: string) =>
  openInvoices(state).filter((i) => !i.disputed && compareDates(i.dueDate, asOf) < 0);

/** Spread an amount over invoices, oldest due first (skipping disputed ones). */
export const allocateOldestDueFirst = (state: AccountState, amount: number): { invoiceId: string; amount: number }[] => {
  const result: { invoiceId: string; amount: number }[] = [];
  let left = amount;
  for (const inv of openInvoices(state)) {
    if (left <= 0) break;
    if (inv.disputed) continue;
    const take = Math.min(left, inv.openBalance);
    result.push({ invoiceId: inv.invoiceId, amount: take });
    left -= take;
  }
  return result;
};

// ── decide ──────────────────────────────────────────────────────────────────────────────
const invoiceOf = (state: AccountState, invoiceId: string) => {
  const inv = invoiceOn(state, invoiceId);
  if (!inv) throw notFound('InvoiceNotFound', `invoice ${invoiceId} is not on this account`, { invoiceId });
  return inv;
};
const laterOf = (a: string, b: string) => (compareDates(a, b) >= 0 ? a : b);

/** Check allocations against sources and invoices, cumulatively, and build the events. */
const allocationEvents = (
  state: AccountState,
  source: { sourceId: string; kind: SourceKind; available: number },
  allocations: readonly { invoiceId: string; amount: number }[],
  allocatedOn: string,
): PaymentAllocated[] => {
  const usedPerInvoice = new Map<string, number>();
  let used = 0;
  return allocations.map(({ invoiceId, amount }) => {
    requireAmount(amount, 'allocation amount', true);
    const inv = invoiceOf(state, invoiceId);
    const already = usedPerInvoice.get(invoiceId) ?? 0;
    if (already + amount > openBalance(inv)) {
      throw ruleViolation('AllocationExceedsOpenBalance', `invoice ${invoiceId} has only ${openBalance(inv) - already} open`, {
        invoiceId,
        openBalance: openBalance(inv) - already,
        amount,
      });
    }
    if (used + amount > source.available) {
      throw ruleViolation(
        'AllocationExceedsUnallocated',
        `${source.kind} ${source.sourceId} has only ${source.available - used} unallocated`,
        {
          sourceId: source.sourceId,
          unallocated: source.available - used,
          amount,
        },
      );
    }
    usedPerInvoice.set(invoiceId, already + amount);
    used += amount;
    return { type: 'PaymentAllocated', data: { sourceId: source.sourceId, sourceKind: source.kind, invoiceId, amount, allocatedOn } };
  });
};

/** Deposits are consumed automatically by open invoices (oldest due first) whenever an invoice is posted. */
const consumeDeposits = (state: AccountState): PaymentAllocated[] => {
  const events: PaymentAllocated[] = [];
  let current = state;
  const deposits = unsettledSources(state)
    .filter((s) => s.kind === 'deposit' && unallocated(s) > 0)
    .sort((a, b) => compareDates(a.receivedOn, b.receivedOn) || (a.sourceId < b.sourceId ? -1 : 1));
  for (const deposit of deposits) {
    for (const { invoiceId, amount } of allocateOldestDueFirst(current, unallocated(sourceOn(current, 'deposit', deposit.sourceId)!))) {
      const event: PaymentAllocated = {
        type: 'PaymentAllocated',
        data: {
          sourceId: deposit.sourceId,
          sourceKind: 'deposit',
          invoiceId,
          amount,
          allocatedOn: laterOf(invoiceOn(current, invoiceId)!.invoiceDate, deposit.receivedOn),
        },
      };
      events.push(event);
      current = evolveAccount(current, event);
    }
  }
  return events;
};

export const decideAccount = (command: AccountCommand, state: AccountState): AccountEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'ReserveCredit': {
      const d = command.data;
      const orderId = requireId(d.orderId, 'orderId');
      const amount = requireAmount(d.amount, 'amount');
      const current = reservationOf(state, orderId);
      const after = exposureExcludingOrder(state, orderId) + amount;
      const base = {
        orderId,
        amount,
        exposure: after,
        creditLimit: d.creditLimit,
        decidedOn: requireDate(d.decidedOn ?? today, 'decidedOn'),
      };
      if (d.force) {
        requireRole(actor, 'CreditReleaseForbidden', 'finance');
        const forcedBy = requireText(d.force.releasedBy, 'force.releasedBy');
        // Re-running the same release changes nothing (process managers repeat reactions).
        if (amount === current) return [];
        return [{ type: 'CreditReserved', data: { ...base, forcedBy } }];
      }
      if (amount === current) return [];
      if (amount > current) {
        if (d.customerBlocked) return [{ type: 'CreditReservationRefused', data: { ...base, reason: 'customer_blocked' } }];
        if (d.creditLimit !== null && after > d.creditLimit) {
          return [{ type: 'CreditReservationRefused', data: { ...base, reason: 'credit_limit_exceeded' } }];
        }
      }
      return [{ type: 'CreditReserved', data: { ...base, forcedBy: null } }];
    }
    case 'ReleaseCreditReservation': {
      const orderId = requireId(command.data.orderId, 'orderId');
      const current = reservationOf(state, orderId);
      const amount = command.data.amount === undefined ? current : requireAmount(command.data.amount, 'amount');
      if (amount > current)
        throw ruleViolation('ReleaseExceedsReservation', `order ${orderId} has only ${current} reserved`, { orderId, reserved: current });
      return amount === 0
        ? []
        : [
            {
              type: 'CreditReservationReleased',
              data: { orderId, amount, releasedOn: requireDate(command.data.releasedOn ?? today, 'releasedOn') },
            },
          ];
    }
    case 'PostInvoice': {
      const d = command.data;
      const invoiceId = requireId(d.invoiceId, 'invoiceId');
      if (invoiceOn(state, invoiceId)) throw conflict('InvoiceAlreadyPosted', `invoice ${invoiceId} is already posted`, { invoiceId });
      const invoiceDate = requireDate(d.invoiceDate, 'invoiceDate');
      const dueDate = requireDate(d.dueDate, 'dueDate');
      if (compareDates(dueDate, invoiceDate) < 0) throw ruleViolation('InvalidDueDate', 'dueDate must not be before invoiceDate');
      const posted: InvoicePosted = {
        type: 'InvoicePosted',
        data: {
          invoiceId,
          orderId: requireId(d.orderId, 'orderId'),
          amount: requireAmount(d.amount, 'amount', true),
          invoiceDate,
          dueDate,
        },
      };
      return [posted, ...consumeDeposits(evolveAccount(state, posted))];
    }
    case 'PostCreditNote': {
      const d = command.data;
      const creditNoteId = requireId(d.creditNoteId, 'creditNoteId');
      if (creditNotePosted(state, creditNoteId)) {
        throw conflict('CreditNoteAlreadyPosted', `credit note ${creditNoteId} is already posted`, { creditNoteId });
      }
      const inv = invoiceOf(state, d.invoiceId);
      const amount = requireAmount(d.amount, 'amount', true);
      if (inv.creditNoteTotal + amount > inv.amount) {
        throw ruleViolation(
          'CreditNoteExceedsInvoice',
          `invoice ${inv.invoiceId} can be credited ${inv.amount - inv.creditNoteTotal} more`,
          {
            invoiceId: inv.invoiceId,
            creditable: inv.amount - inv.creditNoteTotal,
          },
        );
      }
      return [
        {
          type: 'CreditNotePosted',
          data: { creditNoteId, invoiceId: inv.invoiceId, orderId: inv.orderId, amount, issuedOn: requireDate(d.issuedOn, 'issuedOn') },
        },
      ];
    }
    case 'ReceiveDeposit': {
      requireRole(actor, 'ReceivablesForbidden', 'finance', 'integration');
      const d = command.data;
      const depositId = requireId(d.depositId, 'depositId');
      if (sourceOn(state, 'deposit', depositId))
        throw conflict('DepositAlreadyReceived', `deposit ${depositId} already received`, { depositId });
      return [
        {
          type: 'DepositReceived',
          data: {
            depositId,
            amount: requireAmount(d.amount, 'amount', true),
            receivedOn: requireDate(d.receivedOn, 'receivedOn'),
            reference: d.reference ?? null,
          },
        },
      ];
    }
    case 'RefundDeposit': {
      requireRole(actor, 'ReceivablesForbidden', 'finance');
      const deposit = sourceOn(state, 'deposit', command.data.depositId);
      if (!deposit) throw notFound('DepositNotFound', `deposit ${command.data.depositId} not found`);
      const available = unallocated(deposit);
      const amount = command.data.amount === undefined ? available : requireAmount(command.data.amount, 'amount', true);
      if (amount > available || amount === 0) {
        throw ruleViolation(
          'RefundExceedsUnallocated',
          `only the unallocated ${available} of deposit ${deposit.sourceId} can be refunded`,
          {
            depositId: deposit.sourceId,
            unallocated: available,
          },
        );
      }
      return [
        {
          type: 'DepositRefunded',
          data: { depositId: deposit.sourceId, amount, refundedOn: requireDate(command.data.refundedOn ?? today, 'refundedOn') },
        },
      ];
    }
    case 'ReceivePayment': {
      requireRole(actor, 'ReceivablesForbidden', 'finance', 'integration');
      const d = command.data;
      const paymentId = requireId(d.paymentId, 'paymentId');
      if (sourceOn(state, 'payment', paymentId))
        throw conflict('PaymentAlreadyReceived', `payment ${paymentId} already received`, { paymentId });
      const received: PaymentReceived = {
        type: 'PaymentReceived',
        data: {
          paymentId,
          amount: requireAmount(d.amount, 'amount', true),
          receivedOn: requireDate(d.receivedOn, 'receivedOn'),
          reference: d.reference ?? null,
        },
      };
      const allocations = d.allocations ?? allocateOldestDueFirst(state, received.data.amount);
      return [
        received,
        ...allocationEvents(
          state,
          { sourceId: paymentId, kind: 'payment', available: received.data.amount },
          allocations,
          received.data.receivedOn,
        ),
      ];
    }
    case 'AllocateCredit': {
      requireRole(actor, 'ReceivablesForbidden', 'finance');
      const d = command.data;
      const source = sourceOn(state, d.sourceKind, d.sourceId);
      if (!source)
        throw notFound('CreditSourceNotFound', `${d.sourceKind} ${d.sourceId} not found`, {
          sourceId: d.sourceId,
          sourceKind: d.sourceKind,
        });
      return allocationEvents(
        state,
        { sourceId: source.sourceId, kind: source.kind, available: unallocated(source) },
        [{ invoiceId: d.invoiceId, amount: d.amount }],
        requireDate(d.allocatedOn ?? today, 'allocatedOn'),
      );
    }
    case 'RefusePayment': {
      requireRole(actor, 'ReceivablesForbidden', 'finance', 'sales_manager');
      const inv = invoiceOf(state, command.data.invoiceId);
      const reason = requireText(command.data.reason, 'reason', 'ReasonRequired');
      if (inv.disputed) return [];
      if (openBalance(inv) <= 0)
        throw conflict('InvoiceNotOpen', `invoice ${inv.invoiceId} has no open balance`, { invoiceId: inv.invoiceId });
      return [
        {
          type: 'PaymentRefused',
          data: { invoiceId: inv.invoiceId, reason, refusedOn: requireDate(command.data.refusedOn ?? today, 'refusedOn') },
        },
      ];
    }
    case 'SettleDispute': {
      requireRole(actor, 'ReceivablesForbidden', 'finance');
      const inv = invoiceOf(state, command.data.invoiceId);
      if (!inv.disputed) throw conflict('InvoiceNotDisputed', `invoice ${inv.invoiceId} is not disputed`, { invoiceId: inv.invoiceId });
      const outcome = command.data.outcome;
      if (outcome !== 'customer_pays' && outcome !== 'credited' && outcome !== 'written_off')
        throw ruleViolation('InvalidDisputeOutcome', 'unknown outcome');
      const settledOn = command.data.settledOn === undefined ? today : requireDate(command.data.settledOn, 'settledOn');
      return [{ type: 'DisputeSettled', data: { invoiceId: inv.invoiceId, outcome, settledOn } }];
    }
    case 'WriteOffInvoice': {
      requireRole(actor, 'WriteOffForbidden', 'finance');
      const inv = invoiceOf(state, command.data.invoiceId);
      const reason = requireText(command.data.reason, 'reason', 'ReasonRequired');
      const open = openBalance(inv);
      const amount = command.data.amount === undefined ? open : requireAmount(command.data.amount, 'amount', true);
      if (amount > open || amount === 0) {
        throw ruleViolation('WriteOffExceedsOpenBalance', `invoice ${inv.invoiceId} has ${open} open`, {
          invoiceId: inv.invoiceId,
          openBalance: open,
        });
      }
      const writtenOffOn = command.data.writtenOffOn === undefined ? today : requireDate(command.data.writtenOffOn, 'writtenOffOn');
      return [{ type: 'InvoiceWrittenOff', data: { invoiceId: inv.invoiceId, amount, reason, writtenOffOn } }];
    }
    default:
      return assertNever(command);
  }
};

// ── evolve ──────────────────────────────────────────────────────────────────────────────
/** `index` with `key` in it when `member`, without it otherwise (unchanged when it already agrees). */
const withMember = (index: BucketedRecord<true>, key: string, member: boolean, wasMember: boolean): BucketedRecord<true> =>
  member === wasMember ? index : member ? withBucketedEntry(index, key, true) : withoutBucketedEntry(index, key);

/**
 * Sets an invoice, keeping the sum of open balances and the unsettled index (read before the record
 * changes: within one fold it is changed in place).
 */
const putInvoice = (state: AccountState, invoice: InvoiceBalance): AccountState => {
  const before = invoiceOn(state, invoice.invoiceId);
  const wasOpen = before ? openBalance(before) : 0;
  const open = openBalance(invoice);
  return {
    ...state,
    invoices: withBucketedEntry(state.invoices, invoice.invoiceId, invoice),
    unsettledInvoices: withMember(state.unsettledInvoices, invoice.invoiceId, open !== 0, wasOpen !== 0),
    receivable: state.receivable - wasOpen + open,
  };
};
/** Sets a source, keeping the sum of unallocated money and the unsettled index. */
const putSource = (state: AccountState, key: string, source: CreditSource): AccountState => {
  const before = bucketedEntry(state.sources, key);
  const wasLeft = before ? unallocated(before) : 0;
  const left = unallocated(source);
  return {
    ...state,
    sources: withBucketedEntry(state.sources, key, source),
    unsettledSources: withMember(state.unsettledSources, key, left !== 0, wasLeft !== 0),
    onAccount: state.onAccount - wasLeft + left,
  };
};
const updateInvoice = (state: AccountState, invoiceId: string, change: (i: InvoiceBalance) => InvoiceBalance): AccountState => {
  const inv = invoiceOn(state, invoiceId);
  return inv ? putInvoice(state, change(inv)) : state;
};
const updateSource = (state: AccountState, key: string, change: (s: CreditSource) => CreditSource): AccountState => {
  const s = bucketedEntry(state.sources, key);
  return s ? putSource(state, key, change(s)) : state;
};
/** Replaces the order's reservation; 0 removes it. */
const withReservation = (state: AccountState, orderId: string, amount: number): AccountState => {
  // Read before the record changes: within one fold it is changed in place.
  const reserved = state.reserved - reservationOf(state, orderId) + Math.max(0, amount);
  const reservations =
    amount > 0 ? withBucketedEntry(state.reservations, orderId, amount) : withoutBucketedEntry(state.reservations, orderId);
  return { ...state, reservations, reserved };
};

export const evolveAccount = (state: AccountState, event: AccountEvent): AccountState => {
  switch (event.type) {
    case 'CreditReserved':
      return withReservation(state, event.data.orderId, event.data.amount);
    case 'CreditReservationRefused':
      return state;
    case 'CreditReservationReleased':
      return withReservation(state, event.data.orderId, reservationOf(state, event.data.orderId) - event.data.amount);
    case 'InvoicePosted': {
      const d = event.data;
      const reserved = withReservation(state, d.orderId, Math.max(0, reservationOf(state, d.orderId) - d.amount));
      const invoice: InvoiceBalance = {
        ...d,
        allocated: 0,
        credited: 0,
        creditNoteTotal: 0,
        writtenOff: 0,
        disputed: false,
      };
      return putInvoice(reserved, invoice);
    }
    case 'CreditNotePosted': {
      const d = event.data;
      const inv = invoiceOn(state, d.invoiceId);
      if (!inv) return state;
      const applied = Math.min(d.amount, Math.max(0, openBalance(inv)));
      const excess = d.amount - applied;
      const updated: InvoiceBalance = {
        ...inv,
        credited: inv.credited + applied,
        creditNoteTotal: inv.creditNoteTotal + d.amount,
      };
      const next = { ...putInvoice(state, updated), creditNotes: withBucketedEntry(state.creditNotes, d.creditNoteId, d.invoiceId) };
      if (excess === 0) return next;
      const source: CreditSource = {
        sourceId: d.creditNoteId,
        kind: 'credit_note',
        amount: excess,
        allocated: 0,
        refunded: 0,
        receivedOn: d.issuedOn,
      };
      return putSource(next, sourceKey('credit_note', d.creditNoteId), source);
    }
    case 'DepositReceived': {
      const d = event.data;
      const source: CreditSource = {
        sourceId: d.depositId,
        kind: 'deposit',
        amount: d.amount,
        allocated: 0,
        refunded: 0,
        receivedOn: d.receivedOn,
      };
      return putSource(state, sourceKey('deposit', d.depositId), source);
    }
    case 'DepositRefunded':
      return updateSource(state, sourceKey('deposit', event.data.depositId), (s) => ({ ...s, refunded: s.refunded + event.data.amount }));
    case 'PaymentReceived': {
      const d = event.data;
      const source: CreditSource = {
        sourceId: d.paymentId,
        kind: 'payment',
        amount: d.amount,
        allocated: 0,
        refunded: 0,
        receivedOn: d.receivedOn,
      };
      return putSource(state, sourceKey('payment', d.paymentId), source);
    }
    case 'PaymentAllocated': {
      const d = event.data;
      const paidSource = updateSource(state, sourceKey(d.sourceKind, d.sourceId), (s) => ({ ...s, allocated: s.allocated + d.amount }));
      return updateInvoice(paidSource, d.invoiceId, (i) => ({ ...i, allocated: i.allocated + d.amount }));
    }
    case 'PaymentRefused':
      return updateInvoice(state, event.data.invoiceId, (i) => ({ ...i, disputed: true }));
    case 'DisputeSettled':
      return updateInvoice(state, event.data.invoiceId, (i) => ({ ...i, disputed: false }));
    case 'InvoiceWrittenOff':
      return updateInvoice(state, event.data.invoiceId, (i) => ({ ...i, writtenOff: i.writtenOff + event.data.amount }));
    default:
      return assertNever(event);
  }
};

export const accountDecider: Decider<AccountState, AccountCommand, AccountEvent> = {
  // 1: reservations bucketed; 2: open receivables and unallocated money kept as sums; 3: invoices, sources and
  // credit notes bucketed, with indexes of the unsettled ones (older snapshots are folded again).
  foldVersion: 3,
  decide: decideAccount,
  evolve: evolveAccount,
  initialState: () => ({
    status: 'open',
    invoices: {},
    unsettledInvoices: {},
    sources: {},
    unsettledSources: {},
    creditNotes: {},
    reservations: {},
    reserved: 0,
    receivable: 0,
    onAccount: 0,
  }),
};
