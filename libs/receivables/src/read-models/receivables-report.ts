import { daysBetween } from '@salesline/shared-kernel';
import { SourceKind } from '../domain/account';
import { agingBucketOf, AgingBuckets, emptyAging } from '../domain/aging';
import { computeExposure } from '../domain/credit-check';
import { openInvoicesAsOf, ReceivablesAccount, receivablesAsOf, sourceUnallocatedAsOf } from './receivables.projection';

/**
 * The receivables report as of a business date, built from the receivables read model with its
 * own pure queries (`receivablesAsOf`, `openInvoicesAsOf`). Balances, aging, disputes and money on
 * account count only entries dated ≤ asOf; reservations for confirmed unbilled orders and the
 * credit limit are facts of now (they are not dated), so a past asOf shows today's reservations.
 */
export type CustomerCreditProfile = { name: string; creditLimit: number } | null;

export type OpenInvoiceRow = {
  invoiceId: string;
  orderId: string;
  invoiceDate: string;
  dueDate: string;
  amount: number;
  openBalance: number;
  /** Days past the due date on asOf (0 when not yet due). */
  daysOverdue: number;
  bucket: Exclude<keyof AgingBuckets, 'total'>;
  disputed: boolean;
  /** Overdue and not disputed: what dunning chases (as the account's `dunnableInvoices`). */
  inDunning: boolean;
};

export type ReceivablesAmounts = {
  openReceivables: number;
  aging: AgingBuckets;
  /** Unallocated deposits. */
  depositsOnHand: number;
  unallocatedPayments: number;
  /** Credit-note excess over the credited invoice's open balance (ADR 0108). */
  unallocatedCreditNotes: number;
  /** All customer money on account not allocated: deposits + payments + credit notes. */
  unallocatedCredit: number;
  disputedAmount: number;
  /** Overdue, undisputed open balance. */
  inDunningAmount: number;
  reservedForOrders: number;
  /** As the account's `exposure`: open receivables + reserved for orders − all unallocated money on account (ADR 0104). */
  exposure: number;
};

export type ReceivablesRow = ReceivablesAmounts & {
  customerId: string;
  customerName: string | null;
  /** From the customers read model; null when the customer is unknown there. 0 = cash terms. */
  creditLimit: number | null;
  /** creditLimit − exposure (negative: over the limit); null without a credit limit. */
  headroom: number | null;
};

export type CustomerReceivables = ReceivablesRow & { asOf: string; openInvoices: OpenInvoiceRow[] };

export type ReceivablesTotals = ReceivablesAmounts & { customers: number; creditLimit: number; headroom: number };

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export const openInvoiceRows = (doc: ReceivablesAccount, asOf: string): OpenInvoiceRow[] =>
  openInvoicesAsOf(doc, asOf).map((open) => {
    const invoice = doc.invoices[open.invoiceId];
    const daysOverdue = Math.max(0, daysBetween(open.dueDate, asOf));
    return {
      invoiceId: open.invoiceId,
      orderId: open.orderId,
      invoiceDate: invoice.invoiceDate,
      dueDate: open.dueDate,
      amount: invoice.amount,
      openBalance: open.openBalance,
      daysOverdue,
      bucket: agingBucketOf(open.dueDate, asOf),
      disputed: open.disputed,
      inDunning: daysOverdue > 0 && !open.disputed,
    };
  });

const unallocatedOf = (doc: ReceivablesAccount, kind: SourceKind, asOf: string) =>
  sum(
    Object.values(doc.sources)
      .filter((s) => s.kind === kind)
      .map((s) => sourceUnallocatedAsOf(s, asOf)),
  );

export const customerReceivables = (doc: ReceivablesAccount, asOf: string, customer: CustomerCreditProfile): CustomerReceivables => {
  const summary = receivablesAsOf(doc, asOf);
  const openInvoices = openInvoiceRows(doc, asOf);
  const exposure = computeExposure({
    openReceivables: summary.openReceivables,
    confirmedUnbilledOrders: summary.reservedForOrders,
    thisOrder: 0,
    unallocatedDeposits: summary.unallocatedCredit,
  });
  const amounts: ReceivablesAmounts = {
    openReceivables: summary.openReceivables,
    aging: summary.aging,
    depositsOnHand: unallocatedOf(doc, 'deposit', asOf),
    unallocatedPayments: unallocatedOf(doc, 'payment', asOf),
    unallocatedCreditNotes: unallocatedOf(doc, 'credit_note', asOf),
    unallocatedCredit: summary.unallocatedCredit,
    disputedAmount: summary.disputedAmount,
    inDunningAmount: sum(openInvoices.filter((i) => i.inDunning).map((i) => i.openBalance)),
    reservedForOrders: summary.reservedForOrders,
    exposure,
  };
  return { asOf, ...receivablesRowOf(doc.customerId, amounts, customer), openInvoices };
};

/** A customer's row from its figures: with its name, its credit limit and the headroom left under it. */
export const receivablesRowOf = (customerId: string, amounts: ReceivablesAmounts, customer: CustomerCreditProfile): ReceivablesRow => {
  const creditLimit = customer?.creditLimit ?? null;
  return {
    customerId,
    customerName: customer?.name ?? null,
    openReceivables: amounts.openReceivables,
    aging: amounts.aging,
    depositsOnHand: amounts.depositsOnHand,
    unallocatedPayments: amounts.unallocatedPayments,
    unallocatedCreditNotes: amounts.unallocatedCreditNotes,
    unallocatedCredit: amounts.unallocatedCredit,
    disputedAmount: amounts.disputedAmount,
    inDunningAmount: amounts.inDunningAmount,
    reservedForOrders: amounts.reservedForOrders,
    exposure: amounts.exposure,
    creditLimit,
    headroom: creditLimit === null ? null : creditLimit - amounts.exposure,
  };
};

/** The list row: the customer's figures without the invoice detail. */
export const receivablesRow = ({ asOf: _asOf, openInvoices: _invoices, ...row }: CustomerReceivables): ReceivablesRow => row;

const AGING_KEYS = Object.keys(emptyAging()) as (keyof AgingBuckets)[];

/** Company totals: sums of every customer's figures (credit limits and headroom over customers that have one). */
export const receivablesTotals = (rows: readonly ReceivablesRow[]): ReceivablesTotals => {
  const total = (pick: (r: ReceivablesRow) => number) => sum(rows.map(pick));
  return {
    customers: rows.length,
    openReceivables: total((r) => r.openReceivables),
    aging: Object.fromEntries(AGING_KEYS.map((k) => [k, total((r) => r.aging[k])])) as AgingBuckets,
    depositsOnHand: total((r) => r.depositsOnHand),
    unallocatedPayments: total((r) => r.unallocatedPayments),
    unallocatedCreditNotes: total((r) => r.unallocatedCreditNotes),
    unallocatedCredit: total((r) => r.unallocatedCredit),
    disputedAmount: total((r) => r.disputedAmount),
    inDunningAmount: total((r) => r.inDunningAmount),
    reservedForOrders: total((r) => r.reservedForOrders),
    exposure: total((r) => r.exposure),
    creditLimit: total((r) => r.creditLimit ?? 0),
    headroom: total((r) => r.headroom ?? 0),
  };
};
