import fc from 'fast-check';
import { projectionSpec, recordedEvent } from '@salesline/core/testing';
import { AssignmentInterval } from '@salesline/organization/domain';
import { InvoicePosted, PaymentAllocated } from '@salesline/receivables';
import { OrderEvent } from '@salesline/sales';
import { addDays, BusinessDate, compareDates, DomainEvent } from '@salesline/shared-kernel';
import { parsePeriod } from '../domain/period';
import { SalesFact, SalesProgressInput, salesProgress, salesProgressChildren, unassignedChildren } from '../domain/sales-progress';
import { RevenueBasis } from '../domain/targets-settings';
import { collectedFacts, InvoiceCollectionsDoc, OrderFactsDoc } from './sales-facts.projection';
import { salesProgressCollectionsProjection, salesProgressOrdersProjection } from './sales-facts.projection';
import { CreditedShareDoc, creditRollupsNeeded, rollupFacts, rollupFilters } from './sales-progress-rollups.projection';
import { SalesProgressRollupDoc, salesProgressRollupsProjection } from './sales-progress-rollups.projection';
import { splitCredit } from '../domain/credit-split';

// ── random histories: orders with deliveries, cancellations, invoices and cash, split among salespeople ──
const PEOPLE = ['sp-1', 'sp-2', 'sp-3', 'sp-4'];
const TEAMS = [
  { teamId: 't-1', regionId: 'r-1' },
  { teamId: 't-2', regionId: 'r-1' },
  { teamId: 't-3', regionId: 'r-2' },
];
const DAY0 = '2025-01-01';
const day = (n: number): BusinessDate => addDays(DAY0, n);

const creditsArb = fc.subarray(PEOPLE, { minLength: 1, maxLength: 3 }).chain((people) =>
  fc.array(fc.integer({ min: 1, max: 100 }), { minLength: people.length, maxLength: people.length }).map((weights) => {
    const total = weights.reduce((a, b) => a + b, 0);
    const shares = weights.map((w) => Math.max(1, Math.floor((w * 10_000) / total)));
    shares[shares.length - 1] = 10_000 - shares.slice(0, -1).reduce((a, b) => a + b, 0);
    return shares[shares.length - 1] > 0
      ? people.map((salespersonId, i) => ({ salespersonId, shareBp: shares[i] }))
      : [{ salespersonId: people[0], shareBp: 10_000 }];
  }),
);

const orderArb = fc.record({
  orderDay: fc.integer({ min: 0, max: 170 }),
  credits: creditsArb,
  lines: fc.array(
    fc.record({
      quantity: fc.integer({ min: 1, max: 20 }),
      price: fc.integer({ min: 1, max: 9_999 }),
      costPct: fc.integer({ min: 0, max: 120 }),
    }),
    {
      minLength: 1,
      maxLength: 2,
    },
  ),
  delivery: fc.option(fc.record({ after: fc.integer({ min: 0, max: 40 }), part: fc.integer({ min: 1, max: 100 }) })),
  cancellation: fc.option(fc.record({ after: fc.integer({ min: 0, max: 60 }), part: fc.integer({ min: 1, max: 100 }) })),
  invoice: fc.option(
    fc.record({
      after: fc.integer({ min: 0, max: 50 }),
      part: fc.integer({ min: 1, max: 100 }),
      payments: fc.array(
        fc.record({
          after: fc.integer({ min: 0, max: 70 }),
          pct: fc.integer({ min: 1, max: 60 }),
          kind: fc.constantFrom('payment', 'deposit', 'credit_note'),
        }),
        { maxLength: 3 },
      ),
    }),
  ),
});

type Generated = { stream: string; event: DomainEvent };

type GeneratedOrder = typeof orderArb extends fc.Arbitrary<infer T> ? T : never;

const historyOf = (n: number, order: GeneratedOrder): Generated[] => {
  const orderId = `o-${n}`;
  const stream = `order-${orderId}`;
  const orderDate = day(order.orderDay);
  const lines = order.lines.map((l, i) => ({
    lineId: `L${i + 1}`,
    productId: `p-${i + 1}`,
    quantity: l.quantity,
    unitPrice: l.price,
    listPrice: l.price,
    resolvedUnitPrice: l.price,
    priceSource: { kind: 'list' as const },
    unitCost: Math.floor((l.price * l.costPct) / 100),
    priceApproval: null,
  }));
  const part = (pct: number) => lines.map((l) => ({ lineId: l.lineId, quantity: Math.max(1, Math.floor((l.quantity * pct) / 100)) }));
  const out: Generated[] = [];
  const onOrder = (event: OrderEvent) => out.push({ stream, event });
  onOrder({
    type: 'OrderPlaced',
    data: {
      orderId,
      customerId: 'c-1',
      salesCredit: order.credits,
      orderDate,
      quoteId: null,
      lines,
      total: lines.reduce((a, l) => a + l.quantity * l.unitPrice, 0),
    },
  });
  if (order.delivery) {
    const d = order.delivery;
    onOrder({
      type: 'GoodsDelivered',
      data: {
        orderId,
        deliveryId: `${orderId}-d`,
        billOfLading: 'B',
        carrier: 'DHL',
        deliveryDate: day(order.orderDay + d.after),
        lines: part(d.part),
        overDelivery: null,
      },
    });
  }
  if (order.invoice) {
    const inv = order.invoice;
    const invoiceId = `${orderId}-i`;
    const invoiceDate = day(order.orderDay + inv.after);
    const billed = part(inv.part).map((l) => ({ ...l, unitPrice: lines.find((x) => x.lineId === l.lineId)!.unitPrice }));
    const billedLines = billed.map((l) => ({ ...l, amount: l.quantity * l.unitPrice }));
    const amount = billedLines.reduce((a, l) => a + l.amount, 0);
    onOrder({
      type: 'InvoiceIssued',
      data: { invoiceId, orderId, customerId: 'c-1', invoiceDate, dueDate: addDays(invoiceDate, 30), lines: billedLines, amount },
    });
    const posted: InvoicePosted = {
      type: 'InvoicePosted',
      data: { invoiceId, orderId, amount, invoiceDate, dueDate: addDays(invoiceDate, 30) },
    };
    out.push({ stream: 'account-c-1', event: posted });
    inv.payments.forEach((p, i) => {
      const allocated: PaymentAllocated = {
        type: 'PaymentAllocated',
        data: {
          sourceId: `${invoiceId}-s${i}`,
          sourceKind: p.kind,
          invoiceId,
          amount: Math.max(1, Math.floor((amount * p.pct) / 100)),
          allocatedOn: addDays(invoiceDate, p.after),
        },
      };
      out.push({ stream: 'account-c-1', event: allocated });
    });
  }
  if (order.cancellation) {
    const c = order.cancellation;
    onOrder({ type: 'OrderCancelled', data: { orderId, cancelledOn: day(order.orderDay + c.after), reason: 'r', lines: part(c.part) } });
  }
  return out;
};

const intervalsArb: fc.Arbitrary<AssignmentInterval[]> = fc
  .array(fc.record({ from: fc.integer({ min: -30, max: 200 }), team: fc.constantFrom(...TEAMS), gap: fc.boolean() }), { maxLength: 3 })
  .map((steps) => {
    const sorted = [...new Map(steps.map((s) => [s.from, s])).values()].sort((a, b) => a.from - b.from);
    return sorted.map((s, i) => ({
      ...s.team,
      managerId: 'm-1',
      from: day(s.from),
      until: i + 1 < sorted.length ? (s.gap ? day(Math.max(s.from + 1, sorted[i + 1].from - 5)) : day(sorted[i + 1].from)) : null,
    }));
  });

const periodArb = fc.constantFrom(
  '2025-01',
  '2025-02',
  '2025-03',
  '2025-04',
  '2025-05',
  '2025-06',
  '2025-07',
  '2025-Q1',
  '2025-Q2',
  '2025-Q3',
  '2025',
);

const byId = <T>(docs: Record<string, T>) => Object.values(docs);

describe('sales-progress rollups: the report read from monthly rollups is the report computed from every document (ADR 0025)', () => {
  it('gives the same rows, drill-down children and unassigned children, for any history, period, asOf and basis', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(orderArb, { minLength: 1, maxLength: 8 }),
        fc.tuple(intervalsArb, intervalsArb, intervalsArb, intervalsArb),
        fc.array(
          fc.record({
            period: periodArb,
            asOf: fc.integer({ min: -20, max: 240 }),
            basis: fc.constantFrom<RevenueBasis>('booked', 'delivered', 'invoiced', 'collected'),
          }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        async (orders, histories, questions) => {
          const generated = orders.flatMap((o, n) => historyOf(n + 1, o));
          const recorded = generated.map((g, i) => recordedEvent(g.stream, g.event, { position: i + 1 }));
          const pick = (types: readonly string[]) => recorded.filter((e) => types.includes(e.type));
          // Each projection through the runtime, each event delivered once and twice (projectionSpec checks both agree).
          const orderDocs = byId(
            await projectionSpec(salesProgressOrdersProjection).given(pick(salesProgressOrdersProjection.handles)).documents(),
          ) as OrderFactsDoc[];
          const invoices = byId(
            await projectionSpec(salesProgressCollectionsProjection).given(pick(salesProgressCollectionsProjection.handles)).documents(),
          ) as InvoiceCollectionsDoc[];
          const rollupsCollection = await projectionSpec(salesProgressRollupsProjection)
            .given(pick(salesProgressRollupsProjection.handles))
            .documents();
          const rollupDocs = Object.entries(
            await projectionSpec(salesProgressRollupsProjection).given(pick(salesProgressRollupsProjection.handles)).documents(),
          )
            .filter(([id]) => id.startsWith('rollup'))
            .map(([, doc]) => doc as unknown as SalesProgressRollupDoc);

          const known = new Map(orderDocs.map((o) => [o.orderId, o]));
          // The credited document shares the drill-down pages through are every share of every document.
          const shareOf = (d: { factId: string; kind: string; businessDate: string; creditDate?: string; employeeId: string }) =>
            `${d.businessDate} ${d.factId} ${d.employeeId} ${d.kind} ${d.creditDate}`;
          const documentFacts: SalesFact[] = [
            ...orderDocs.flatMap((o) => o.facts),
            ...invoices.flatMap((c) => collectedFacts(c, c.orderId === null ? null : (known.get(c.orderId) ?? null))),
          ];
          const fromDocuments = documentFacts.flatMap((f) =>
            splitCredit({ ...f, grossMargin: f.amount - f.cost }).map((share) => [
              shareOf({
                ...share,
                factId: f.factId,
                kind: f.kind,
                businessDate: f.businessDate,
                creditDate: f.creditDate ?? f.businessDate,
              }),
              share.amount,
              share.quantity,
              share.grossMargin,
            ]),
          );
          const fromShares = Object.entries(rollupsCollection)
            .filter(([id]) => id.startsWith('share:'))
            .map(([, doc]) => doc as unknown as CreditedShareDoc)
            .map((d) => [shareOf(d), ...d.cells.v.slice(0, 3)]);
          const bySort = (a: (string | number)[], b: (string | number)[]) => (String(a[0]) < String(b[0]) ? -1 : 1);
          expect(fromShares.sort(bySort)).toEqual(fromDocuments.sort(bySort));
          const assignments = Object.fromEntries(PEOPLE.map((p, i) => [p, histories[i]]));

          for (const q of questions) {
            const period = parsePeriod(q.period)!;
            const asOf = day(q.asOf);
            const until = compareDates(period.end, asOf) <= 0 ? period.end : asOf;
            const { whole, partial } = rollupFilters(period, until);
            const read = rollupDocs.filter(
              (r) => (r.month !== undefined && whole.includes(r.month)) || (r.days !== undefined && r.days === partial),
            );
            const needed = creditRollupsNeeded(read, assignments);
            const fromRollups = rollupFacts(
              read,
              rollupDocs.filter((r) => needed.includes(r.id)),
              until,
              assignments,
            );
            const input = (facts: readonly SalesFact[]): SalesProgressInput => ({
              period: q.period,
              asOf,
              facts,
              assignments,
              plan: null,
              settings: { revenueBasis: q.basis },
            });
            const scanned = salesProgress(input(documentFacts));
            const rolled = salesProgress(input(fromRollups));
            expect(rolled.rows).toEqual(scanned.rows);
            // Unattributed: the same people with the same number of credited shares.
            const count = (entries: readonly { factId: string; employeeId: string }[], weight: (factId: string) => number) =>
              entries.reduce<Record<string, number>>(
                (acc, u) => ({ ...acc, [u.employeeId]: (acc[u.employeeId] ?? 0) + weight(u.factId) }),
                {},
              );
            const shares = new Map(fromRollups.map((f) => [f.factId, f.shares]));
            expect(count(rolled.unattributed, (id) => shares.get(id)!)).toEqual(count(scanned.unattributed, () => 1));
            for (const parent of [
              { level: 'company' as const, nodeId: 'company' },
              { level: 'region' as const, nodeId: 'r-1' },
              { level: 'region' as const, nodeId: 'r-2' },
              ...TEAMS.map((t) => ({ level: 'team' as const, nodeId: t.teamId })),
            ]) {
              expect(salesProgressChildren(input(fromRollups), parent, [])).toEqual(
                salesProgressChildren(input(documentFacts), parent, []),
              );
            }
            expect(unassignedChildren(input(fromRollups), { level: 'company', nodeId: 'company' })).toEqual(
              unassignedChildren(input(documentFacts), { level: 'company', nodeId: 'company' }),
            );
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('keeps a cell that nets to zero while it still counts shares (an order cancelled in full on its day)', async () => {
    const placed = historyOf(1, {
      orderDay: 10,
      credits: [{ salespersonId: 'sp-1', shareBp: 10_000 }],
      lines: [{ quantity: 4, price: 100, costPct: 50 }],
      delivery: null,
      cancellation: { after: 0, part: 100 },
      invoice: null,
    });
    const docs = await projectionSpec(salesProgressRollupsProjection, { streamOf: () => 'order-o-1' })
      .given(placed.map((g) => g.event))
      .documents();
    // Booked +400 and cancelled −400 on the same day and credit date: the day cell and the month cell add up to
    // zero in amount but still count two shares, so the salesperson keeps a (zero) row, as the report from documents gives.
    expect((docs['rollup:2025-01:sp-1'] as unknown as SalesProgressRollupDoc).cells).toEqual({ 'm|booked|2025-01': [0, 0, 0, 2] });
    expect((docs['rollup-days:2025-01:sp-1'] as unknown as SalesProgressRollupDoc).cells).toEqual({
      'd|booked|2025-01-11|2025-01': [0, 0, 0, 2],
    });
    expect((docs['rollup-credit:2025-01:sp-1'] as unknown as SalesProgressRollupDoc).cells).toEqual({
      'd|booked|2025-01-11|2025-01-11': [0, 0, 0, 2],
    });
  });
});
