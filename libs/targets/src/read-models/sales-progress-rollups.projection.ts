/**
 * Sales-progress rollups (ADR 0025): what the report reads instead of every order.
 *
 * `sales_progress_rollups` holds two kinds of documents:
 * - sources, one per order (`order:<orderId>`, its facts as `sales_progress_orders` folds them) and one per invoice
 *   (`invoice:<invoiceId>`, its cash allocations with the credit and date of the order it bills, looked up when the
 *   invoice is posted);
 * - rollups, one per month and salesperson (`rollup:<YYYY-MM>:<employeeId>`), which the runtime keeps as the sum of
 *   what every source contributes: each fact is split among its credited salespeople exactly as the report splits it
 *   (`splitCredit`), and each share is added to the month of its business date in two cells,
 *   `d|<kind>|<businessDate>|<creditDate>` (by day, for a month cut by `asOf`) and `m|<kind>|<creditDate>` (the whole
 *   month), as `[amount, quantity, grossMargin, shares]`.
 *
 * The credit date stays in the cell because the team and region credited are the salesperson's on that date, read
 * from the organization when the report is asked (ADR 0211): an assignment recorded later, or dated back, moves the
 * credit without a rebuild. A report reads months × salespeople rollups, whatever the number of orders.
 */
import { defineProjection, ReadModelDocumentation, Recorded, RollupContribution } from '@salesline/core';
import { InvoicePosted, PaymentAllocated } from '@salesline/receivables';
import { ORDER_EVENT_TYPES, OrderEvent } from '@salesline/sales';
import { AssignmentInterval, assignmentOn } from '@salesline/organization/domain';
import { BusinessDate, compareDates } from '@salesline/shared-kernel';
import { SalesCredit, splitCredit } from '../domain/credit-split';
import { Period } from '../domain/period';
import { SalesFact, SalesFactKind } from '../domain/sales-progress';
import {
  InvoiceCollectionsDoc,
  OrderFactsDoc,
  SALES_PROGRESS_COLLECTIONS_DOCUMENTATION,
  SALES_PROGRESS_ORDERS_DOCUMENTATION,
  collectedFacts,
  evolveInvoiceCollections,
  evolveOrderFacts,
} from './sales-facts.projection';

export type OrderSourceDoc = OrderFactsDoc & { source: 'order' };
export type InvoiceSourceDoc = InvoiceCollectionsDoc & {
  source: 'invoice';
  /** The credit and date of the order the invoice bills, as the order stood when the invoice was posted. */
  order: { credits: SalesCredit[]; orderDate: BusinessDate } | null;
};
export type RollupSourceDoc = OrderSourceDoc | InvoiceSourceDoc;

/** A month's rollup of one salesperson's credited shares (a `RollupDocument`): by credit date, or by day and credit date. */
export type SalesProgressRollupDoc = {
  id: string;
  /** YYYY-MM: the month of the shares' business dates (a month rollup). */
  month?: string;
  /** YYYY-MM: the month of the shares' business dates (its rollup by day). */
  days?: string;
  /** The salesperson credited. */
  employeeId: string;
  /** `d|kind|businessDate|creditDate` and `m|kind|creditDate` → [amount, quantity, gross margin, shares]. */
  cells: Record<string, number[]>;
};

export const orderSourceId = (orderId: string) => `order:${orderId}`;
export const invoiceSourceId = (invoiceId: string) => `invoice:${invoiceId}`;
export const rollupId = (month: string, employeeId: string) => `rollup:${month}:${employeeId}`;
/** The same month's shares by day (read only for the month `asOf` falls in). */
export const dayRollupId = (month: string, employeeId: string) => `rollup-days:${month}:${employeeId}`;

type RollupEvent = OrderEvent | InvoicePosted | PaymentAllocated;

const evolveSource = (
  doc: RollupSourceDoc | null,
  event: Recorded<RollupEvent>,
  id: string,
  lookup: (id: string) => RollupSourceDoc | null,
): RollupSourceDoc | null => {
  if (event.type === 'InvoicePosted' || event.type === 'PaymentAllocated') {
    const current = doc?.source === 'invoice' ? doc : null;
    const next = evolveInvoiceCollections(current, event);
    if (next === null || next === current) return doc;
    let order = current?.order ?? null;
    if (event.type === 'InvoicePosted') {
      const placed = lookup(orderSourceId(event.data.orderId));
      order = placed?.source === 'order' ? { credits: placed.credits, orderDate: placed.orderDate } : null;
    }
    return { ...next, id, source: 'invoice', order };
  }
  const next = evolveOrderFacts(doc?.source === 'order' ? doc : null, event);
  return next === null ? doc : { ...next, id, source: 'order' };
};

/** The facts a source holds: an order's documents, or the cash allocated to an invoice credited like its order. */
export const sourceFacts = (doc: RollupSourceDoc): SalesFact[] => (doc.source === 'order' ? doc.facts : collectedFacts(doc, doc.order));

export const dayCell = (kind: SalesFactKind, businessDate: BusinessDate, creditDate: BusinessDate) =>
  `d|${kind}|${businessDate}|${creditDate}`;
export const monthCell = (kind: SalesFactKind, creditDate: BusinessDate) => `m|${kind}|${creditDate}`;

/**
 * One credited share of one document (`share:<factId>:<employeeId>`), kept by the runtime like a rollup of one
 * contribution: the drill-down pages through these by business date instead of reading every order of the period.
 */
export type CreditedShareDoc = {
  id: string;
  /** The document (fact) the share is part of. */
  factId: string;
  /** Position of the salesperson among the document's credits (the order the report lists the shares in). */
  shareIndex: number;
  kind: SalesFactKind;
  /** The document's business date: the period it counts in. */
  businessDate: BusinessDate;
  /** The date whose organization is credited (the order date). */
  creditDate: BusinessDate;
  /** The salesperson credited. */
  employeeId: string;
  /** `v` → [amount, quantity, gross margin, 1]. */
  cells: Record<string, number[]>;
};
export const shareId = (factId: string, employeeId: string) => `share:${factId}:${employeeId}`;

/** Each credited share of each fact: in its month's rollup, by day and for the whole month, and as a document share. */
export const rollupContributions = (doc: RollupSourceDoc): RollupContribution[] => {
  const out: RollupContribution[] = [];
  for (const fact of sourceFacts(doc)) {
    let shares;
    try {
      shares = splitCredit({ ...fact, grossMargin: fact.amount - fact.cost });
    } catch {
      continue; // a credit the report would refuse (the order decider never records one): nothing to roll up
    }
    const month = fact.businessDate.slice(0, 7);
    const creditDate = fact.creditDate ?? fact.businessDate;
    shares.forEach((share, shareIndex) => {
      const values = [share.amount, share.quantity, share.grossMargin, 1];
      out.push({
        id: dayRollupId(month, share.employeeId),
        fields: { days: month, employeeId: share.employeeId },
        cell: dayCell(fact.kind, fact.businessDate, creditDate),
        values,
      });
      out.push({
        id: rollupId(month, share.employeeId),
        fields: { month, employeeId: share.employeeId },
        cell: monthCell(fact.kind, creditDate),
        values,
      });
      out.push({
        id: shareId(fact.factId, share.employeeId),
        fields: {
          factId: fact.factId,
          shareIndex,
          kind: fact.kind,
          businessDate: fact.businessDate,
          creditDate,
          employeeId: share.employeeId,
        },
        cell: 'v',
        values,
      });
    });
  }
  return out;
};

/** Fields named by both notes take the events of both. */
const mergedSources = (...notes: ReadModelDocumentation[]): Record<string, readonly string[]> => {
  const out: Record<string, string[]> = {};
  for (const note of notes)
    for (const [path, types] of Object.entries(note.sources)) out[path] = [...new Set([...(out[path] ?? []), ...types])];
  return out;
};

const ORDER_EVENTS_OF_FACTS = [...new Set(Object.values(SALES_PROGRESS_ORDERS_DOCUMENTATION.sources).flat())];

const SALES_PROGRESS_ROLLUPS_DOCUMENTATION: ReadModelDocumentation<RollupEvent['type']> = {
  document: 'RollupSourceDoc | SalesProgressRollupDoc | CreditedShareDoc',
  context: 'targets',
  summary:
    'Monthly rollups of sales progress (ADR 0025): per month and salesperson, the credited shares summed by kind, business date and credit date, kept by the runtime from the sources beside them (one per order, as in sales_progress_orders, and one per invoice, as in sales_progress_collections, with the credit of its order). Also one document per credited document share, which the drill-down pages through. The sales-progress report reads these instead of every order.',
  meanings: {
    ...SALES_PROGRESS_ORDERS_DOCUMENTATION.meanings,
    ...SALES_PROGRESS_COLLECTIONS_DOCUMENTATION.meanings,
    id: '`order:<orderId>` or `invoice:<invoiceId>` for a source, `rollup:<YYYY-MM>:<employeeId>` for a rollup, `share:<factId>:<employeeId>` for a credited document share.',
    customerId: 'The customer of the order or invoice.',
    lastDate: "Latest business date among the source's facts (or allocations).",
    source: '`order` or `invoice`: what the source document holds (absent on a rollup).',
    order: 'The credit and date of the order the invoice bills, taken when the invoice is posted.',
    'order.credits': 'Who the order credits, in shares.',
    'order.credits[].employeeId': 'The salesperson credited.',
    'order.credits[].shareBp': 'Their share, in basis points.',
    'order.orderDate': 'The order date: the credit date of the cash collected.',
    month: 'The month (YYYY-MM) a month rollup sums: the business dates of its shares.',
    days: 'The month (YYYY-MM) a day rollup sums by day (`rollup-days:<YYYY-MM>:<employeeId>`).',
    employeeId: 'The salesperson a rollup sums the credited shares of.',
    cells:
      '`d|kind|businessDate|creditDate` (by day) and `m|kind|creditDate` (the whole month) → [amount, quantity, gross margin, shares].',
  },
  sources: {
    ...mergedSources(SALES_PROGRESS_ORDERS_DOCUMENTATION, SALES_PROGRESS_COLLECTIONS_DOCUMENTATION),
    source: [...ORDER_EVENTS_OF_FACTS, 'InvoicePosted', 'PaymentAllocated'],
    order: ['InvoicePosted'],
    'order.credits': ['InvoicePosted'],
    'order.credits[].employeeId': ['InvoicePosted'],
    'order.credits[].shareBp': ['InvoicePosted'],
    'order.orderDate': ['InvoicePosted'],
    month: [...ORDER_EVENTS_OF_FACTS, 'InvoicePosted', 'PaymentAllocated'],
    days: [...ORDER_EVENTS_OF_FACTS, 'InvoicePosted', 'PaymentAllocated'],
    employeeId: [...ORDER_EVENTS_OF_FACTS, 'InvoicePosted', 'PaymentAllocated'],
    cells: [...ORDER_EVENTS_OF_FACTS, 'InvoicePosted', 'PaymentAllocated'],
    factId: [...ORDER_EVENTS_OF_FACTS, 'InvoicePosted', 'PaymentAllocated'],
    shareIndex: [...ORDER_EVENTS_OF_FACTS, 'InvoicePosted', 'PaymentAllocated'],
    kind: [...ORDER_EVENTS_OF_FACTS, 'InvoicePosted', 'PaymentAllocated'],
    businessDate: [...ORDER_EVENTS_OF_FACTS, 'InvoicePosted', 'PaymentAllocated'],
    creditDate: [...ORDER_EVENTS_OF_FACTS, 'InvoicePosted', 'PaymentAllocated'],
  },
};

export const salesProgressRollupsProjection = defineProjection<RollupEvent>()({
  name: 'sales_progress_rollups',
  collection: 'sales_progress_rollups',
  documentation: SALES_PROGRESS_ROLLUPS_DOCUMENTATION,
  handles: [...ORDER_EVENT_TYPES, 'InvoicePosted', 'PaymentAllocated'],
  indexes: [
    { fields: ['month'] },
    { fields: ['days'] },
    { fields: ['businessDate', 'factId', 'shareIndex'] },
    { fields: ['employeeId', 'businessDate', 'factId', 'shareIndex'] },
  ],
  documentIds: (event) =>
    event.type === 'InvoicePosted' || event.type === 'PaymentAllocated'
      ? [invoiceSourceId(event.data.invoiceId)]
      : [orderSourceId(event.data.orderId)],
  lookups: (event) => (event.type === 'InvoicePosted' ? [orderSourceId(event.data.orderId)] : []),
  evolve: evolveSource,
  rollup: rollupContributions,
});

const pad2 = (n: number) => String(n).padStart(2, '0');
const lastDayOf = (month: string): BusinessDate => {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${pad2(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
};

/** The months of a period that have begun by `until` (the rollups a report reads). */
export const rollupMonths = (period: Period, until: BusinessDate): string[] =>
  period.months.map((m) => `${period.year}-${pad2(m)}`).filter((month) => compareDates(`${month}-01`, until) <= 0);

/**
 * The rollups as facts for `salesProgress`, for the period up to `until`: whole months from their month rollups
 * (dated on the month's first day), the month `until` falls in from its day rollup up to `until`. Cells of one
 * salesperson whose credit dates fall in the same assignment (team and region, or none) are merged into one fact
 * dated on one of those credit dates, crediting the salesperson alone with the summed shares: the report credits a
 * share only by its salesperson's assignment on the credit date, so it adds up exactly what it would have from the
 * documents, from a few facts per salesperson and month. `shares` counts the credited shares a fact stands for.
 */
export const rollupFacts = (
  rollups: readonly SalesProgressRollupDoc[],
  until: BusinessDate,
  assignments: Readonly<Record<string, readonly AssignmentInterval[]>>,
): (SalesFact & { shares: number })[] => {
  type Merged = {
    factId: string;
    kind: SalesFactKind;
    businessDate: BusinessDate;
    creditDate: BusinessDate;
    employeeId: string;
    amount: number;
    quantity: number;
    grossMargin: number;
    shares: number;
  };
  const merged = new Map<string, Merged>();
  for (const rollup of rollups) {
    const month = rollup.month ?? rollup.days!;
    const history = assignments[rollup.employeeId] ?? [];
    const placeOf = new Map<BusinessDate, string>();
    for (const [cell, [amount, quantity, grossMargin, shares]] of Object.entries(rollup.cells)) {
      const parts = cell.split('|');
      let businessDate: BusinessDate;
      let creditDate: BusinessDate;
      if (rollup.month !== undefined && parts[0] === 'm') [businessDate, creditDate] = [`${month}-01`, parts[2]];
      else if (rollup.days !== undefined && parts[0] === 'd' && compareDates(parts[2], until) <= 0)
        [businessDate, creditDate] = [parts[2], parts[3]];
      else continue;
      let place = placeOf.get(creditDate);
      if (place === undefined) {
        const assignment = assignmentOn(history, creditDate);
        place = assignment ? `${assignment.teamId}|${assignment.regionId}` : '';
        placeOf.set(creditDate, place);
      }
      const factId = `${rollup.employeeId}|${parts[1]}|${businessDate}|${place}`;
      const fact = merged.get(factId);
      if (fact) {
        fact.amount += amount;
        fact.quantity += quantity;
        fact.grossMargin += grossMargin;
        fact.shares += shares;
      } else
        merged.set(factId, {
          factId,
          kind: parts[1] as SalesFactKind,
          businessDate,
          creditDate,
          employeeId: rollup.employeeId,
          amount,
          quantity,
          grossMargin,
          shares,
        });
    }
  }
  return [...merged.values()].map((f) => ({
    factId: f.factId,
    kind: f.kind,
    businessDate: f.businessDate,
    creditDate: f.creditDate,
    amount: f.amount,
    quantity: f.quantity,
    cost: f.amount - f.grossMargin,
    credits: [{ employeeId: f.employeeId, shareBp: 10_000 }],
    shares: f.shares,
  }));
};

/** Which rollups a report reads: the month rollups of the months over by `until`, the day rollup of the month it falls in. */
export const rollupFilters = (period: Period, until: BusinessDate): { whole: string[]; partial: string | null } => {
  const months = rollupMonths(period, until);
  const whole = months.filter((m) => compareDates(lastDayOf(m), until) <= 0);
  return { whole, partial: months.find((m) => !whole.includes(m)) ?? null };
};
