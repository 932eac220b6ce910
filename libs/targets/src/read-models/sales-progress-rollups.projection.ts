/**
 * Sales-progress rollups (ADR 0025, 0028): what the report reads instead of every order.
 *
 * `sales_progress_rollups` holds two kinds of documents:
 * - sources, one per order (`order:<orderId>`, its facts as `sales_progress_orders` folds them) and one per invoice
 *   (`invoice:<invoiceId>`, its cash allocations with the credit and date of the order it bills, looked up when the
 *   invoice is posted);
 * - rollups, per month and salesperson, which the runtime keeps as the sum of what every source contributes: each
 *   fact is split among its credited salespeople exactly as the report splits it (`splitCredit`), and each share is
 *   added to the month of its business date, as `[amount, quantity, grossMargin, shares]`, in three rollups:
 *   `rollup:<YYYY-MM>:<employeeId>` (the whole month, cells `m|<kind>|<creditMonth>`), `rollup-days:<YYYY-MM>:<employeeId>`
 *   (by day, for a month cut by `asOf`, cells `d|<kind>|<businessDate>|<creditMonth>`) and
 *   `rollup-credit:<YYYY-MM>:<employeeId>` (by day and exact credit date, cells `d|<kind>|<businessDate>|<creditDate>`).
 *
 * The team and region credited are the salesperson's on the credit date, read from the organization when the report
 * is asked (ADR 0211): an assignment recorded later, or dated back, moves the credit without a rebuild. A month in
 * which the salesperson's assignment did not change credits all its days alike, so the report reads the cells by
 * credit month, a few per salesperson and month whatever the number of orders (ADR 0028); only for a credit month in
 * which the assignment changed does it read the exact credit dates (`rollup-credit`).
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

/**
 * A month's rollup of one salesperson's credited shares (a `RollupDocument`): by credit month, by day and credit
 * month, or by day and credit date.
 */
export type SalesProgressRollupDoc = {
  id: string;
  /** YYYY-MM: the month of the shares' business dates (a month rollup, by credit month). */
  month?: string;
  /** YYYY-MM: the month of the shares' business dates (its rollup by day and credit month). */
  days?: string;
  /** YYYY-MM: the month of the shares' business dates (its rollup by day and exact credit date). */
  creditDays?: string;
  /** The salesperson credited. */
  employeeId: string;
  /**
   * `m|kind|creditMonth` (month rollup), `d|kind|businessDate|creditMonth` (by day), `d|kind|businessDate|creditDate`
   * (by credit date) → [amount, quantity, gross margin, shares].
   */
  cells: Record<string, number[]>;
};

export const orderSourceId = (orderId: string) => `order:${orderId}`;
export const invoiceSourceId = (invoiceId: string) => `invoice:${invoiceId}`;
export const rollupId = (month: string, employeeId: string) => `rollup:${month}:${employeeId}`;
/** The same month's shares by day (read only for the month `asOf` falls in). */
export const dayRollupId = (month: string, employeeId: string) => `rollup-days:${month}:${employeeId}`;
/** The same month's shares by day and exact credit date (read only where the salesperson's assignment changed within a credit month). */
export const creditRollupId = (month: string, employeeId: string) => `rollup-credit:${month}:${employeeId}`;

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

/** A day cell: by credit month (`rollup-days`) or by exact credit date (`rollup-credit`). */
export const dayCell = (kind: SalesFactKind, businessDate: BusinessDate, credit: string) => `d|${kind}|${businessDate}|${credit}`;
export const monthCell = (kind: SalesFactKind, creditMonth: string) => `m|${kind}|${creditMonth}`;

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

/** Each credited share of each fact: in its month's rollups (whole month, by day, by credit date) and as a document share. */
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
    const creditMonth = creditDate.slice(0, 7);
    shares.forEach((share, shareIndex) => {
      const values = [share.amount, share.quantity, share.grossMargin, 1];
      out.push({
        id: rollupId(month, share.employeeId),
        fields: { month, employeeId: share.employeeId },
        cell: monthCell(fact.kind, creditMonth),
        values,
      });
      out.push({
        id: dayRollupId(month, share.employeeId),
        fields: { days: month, employeeId: share.employeeId },
        cell: dayCell(fact.kind, fact.businessDate, creditMonth),
        values,
      });
      out.push({
        id: creditRollupId(month, share.employeeId),
        fields: { creditDays: month, employeeId: share.employeeId },
        cell: dayCell(fact.kind, fact.businessDate, creditDate),
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
    id: '`order:<orderId>` or `invoice:<invoiceId>` for a source, `rollup:<YYYY-MM>:<employeeId>`, `rollup-days:<YYYY-MM>:<employeeId>` or `rollup-credit:<YYYY-MM>:<employeeId>` for a rollup, `share:<factId>:<employeeId>` for a credited document share.',
    customerId: 'The customer of the order or invoice.',
    lastDate: "Latest business date among the source's facts (or allocations).",
    source: '`order` or `invoice`: what the source document holds (absent on a rollup).',
    order: 'The credit and date of the order the invoice bills, taken when the invoice is posted.',
    'order.credits': 'Who the order credits, in shares.',
    'order.credits[].employeeId': 'The salesperson credited.',
    'order.credits[].shareBp': 'Their share, in basis points.',
    'order.orderDate': 'The order date: the credit date of the cash collected.',
    month: 'The month (YYYY-MM) a month rollup sums, by credit month: the business dates of its shares.',
    days: 'The month (YYYY-MM) a day rollup sums by day and credit month (`rollup-days:<YYYY-MM>:<employeeId>`).',
    creditDays:
      'The month (YYYY-MM) a rollup sums by day and exact credit date (`rollup-credit:<YYYY-MM>:<employeeId>`), read where the salesperson changed teams within a credit month (ADR 0028).',
    employeeId: 'The salesperson a rollup sums the credited shares of.',
    cells:
      '`m|kind|creditMonth` (the whole month), `d|kind|businessDate|creditMonth` (by day) and `d|kind|businessDate|creditDate` (by day and credit date) → [amount, quantity, gross margin, shares].',
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
    creditDays: [...ORDER_EVENTS_OF_FACTS, 'InvoicePosted', 'PaymentAllocated'],
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
 * Whether a salesperson's assignment (team and region, or none) is the same on every day of a month: no interval of
 * their history starts or ends within it after its first day. Then a share credited on any day of that month is
 * credited like one on its first day, and the rollups by credit month are enough.
 */
export const steadyMonth = (history: readonly AssignmentInterval[], month: string): boolean => {
  const first = `${month}-01`;
  const last = lastDayOf(month);
  const within = (date: BusinessDate | null) => date !== null && compareDates(date, first) > 0 && compareDates(date, last) <= 0;
  return !history.some((i) => within(i.from) || within(i.until));
};

/**
 * The rollups by exact credit date a report also needs (`rollup-credit` ids): those of the months and salespeople
 * whose rollups hold a credit month in which the salesperson's assignment changed.
 */
export const creditRollupsNeeded = (
  rollups: readonly SalesProgressRollupDoc[],
  assignments: Readonly<Record<string, readonly AssignmentInterval[]>>,
): string[] => {
  const ids = new Set<string>();
  for (const rollup of rollups) {
    const history = assignments[rollup.employeeId] ?? [];
    if (history.length === 0) continue;
    for (const cell of Object.keys(rollup.cells))
      if (!steadyMonth(history, cell.split('|').at(-1)!.slice(0, 7))) {
        ids.add(creditRollupId(rollup.month ?? rollup.days!, rollup.employeeId));
        break;
      }
  }
  return [...ids];
};

/** A credited document share: one salesperson's part of a fact. */
export type CreditedDocument = {
  factId: string;
  kind: SalesFactKind;
  businessDate: BusinessDate;
  creditDate: BusinessDate;
  employeeId: string;
  amount: number;
  quantity: number;
  grossMargin: number;
};

/**
 * The rollups as facts for `salesProgress`, for the period up to `until`: whole months from their month rollups
 * (dated on the month's first day), the month `until` falls in from its day rollup up to `until`. A cell's credit
 * month in which the salesperson's assignment did not change is credited as on its first day; one in which it changed
 * is taken from the rollup by exact credit date instead (`credits`, as `creditRollupsNeeded` names them). Cells of
 * one salesperson credited to the same assignment (team and region, or none) are merged into one fact, crediting the
 * salesperson alone with the summed shares: the report credits a share only by its salesperson's assignment on the
 * credit date, so it adds up exactly what it would have from the documents, from a few facts per salesperson and
 * month. `shares` counts the credited shares a fact stands for.
 */
export const rollupFacts = (
  rollups: readonly SalesProgressRollupDoc[],
  credits: readonly SalesProgressRollupDoc[],
  until: BusinessDate,
  assignments: Readonly<Record<string, readonly AssignmentInterval[]>>,
): (SalesFact & { shares: number })[] => {
  type Merged = CreditedDocument & { shares: number };
  const merged = new Map<string, Merged>();
  const steady = new Map<string, boolean>();
  const isSteady = (employeeId: string, history: readonly AssignmentInterval[], month: string) => {
    if (history.length === 0) return true;
    const key = `${employeeId}|${month}`;
    let known = steady.get(key);
    if (known === undefined) steady.set(key, (known = steadyMonth(history, month)));
    return known;
  };
  const add = (rollup: SalesProgressRollupDoc, kind: string, businessDate: BusinessDate, creditDate: BusinessDate, values: number[]) => {
    const [amount, quantity, grossMargin, shares] = values;
    const assignment = assignmentOn(assignments[rollup.employeeId] ?? [], creditDate);
    const place = assignment ? `${assignment.teamId}|${assignment.regionId}` : '';
    const factId = `${rollup.employeeId}|${kind}|${businessDate}|${place}`;
    const fact = merged.get(factId);
    if (fact) {
      fact.amount += amount;
      fact.quantity += quantity;
      fact.grossMargin += grossMargin;
      fact.shares += shares;
    } else
      merged.set(factId, {
        factId,
        kind: kind as SalesFactKind,
        businessDate,
        creditDate,
        employeeId: rollup.employeeId,
        amount,
        quantity,
        grossMargin,
        shares,
      });
  };
  for (const rollup of rollups) {
    const month = rollup.month ?? rollup.days!;
    const history = assignments[rollup.employeeId] ?? [];
    for (const [cell, values] of Object.entries(rollup.cells)) {
      const parts = cell.split('|');
      const creditMonth = parts.at(-1)!;
      if (!isSteady(rollup.employeeId, history, creditMonth)) continue; // from the rollup by credit date
      if (rollup.month !== undefined && parts[0] === 'm') add(rollup, parts[1], `${month}-01`, `${creditMonth}-01`, values);
      else if (rollup.days !== undefined && parts[0] === 'd' && compareDates(parts[2], until) <= 0)
        add(rollup, parts[1], parts[2], `${creditMonth}-01`, values);
    }
  }
  for (const rollup of credits) {
    const month = rollup.creditDays!;
    const whole = compareDates(lastDayOf(month), until) <= 0;
    const history = assignments[rollup.employeeId] ?? [];
    for (const [cell, values] of Object.entries(rollup.cells)) {
      const [, kind, businessDate, creditDate] = cell.split('|');
      if (isSteady(rollup.employeeId, history, creditDate.slice(0, 7))) continue; // from the rollup by credit month
      if (whole) add(rollup, kind, `${month}-01`, creditDate, values);
      else if (compareDates(businessDate, until) <= 0) add(rollup, kind, businessDate, creditDate, values);
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
