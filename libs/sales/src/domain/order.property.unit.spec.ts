import fc from 'fast-check';
import { Command, DomainError, Role } from '@salesline/shared-kernel';
import { AccountCommand, accountDecider, AccountState, exposure, openBalance } from '@salesline/receivables/domain';
import {
  accountInvoices,
  accountSources,
  openReceivables,
  openReservations,
  reservedForOrders,
  unallocated,
  unallocatedCredit,
} from '@salesline/receivables/domain';
import { computeExposure } from './credit-check';
import { OrderCommand, orderDecider, OrderEvent, PlaceOrder } from './order';
import { lineQuantities, orderStatus, OrderState, overDeliveryTolerance, PlacedOrder } from './order-state';
import { lineL1AtList, lineL2AtList } from '../testing/order-fixtures';

/**
 * Random sequences of deliveries, returns, invoices, cancellations on an order, mirrored onto the
 * customer account together with payments, deposits, allocations and write-offs. A command that
 * breaks a rule must throw a named DomainError; whatever is accepted keeps every invariant.
 */
const TODAY = '2025-03-03';
const ctx = (roles: Role[]) => ({ actor: { userId: `u-${roles[0]}`, roles }, now: `${TODAY}T10:00:00Z`, today: TODAY });
const orderCmd = <T extends OrderCommand>(type: T['type'], data: T['data'], roles: Role[] = ['sales_manager']) =>
  ({ type, data, context: ctx(roles) }) as unknown as T;
const accountCmd = <T extends AccountCommand>(type: T['type'], data: T['data'], roles: Role[] = ['finance']) =>
  ({ type, data, context: ctx(roles) }) as unknown as T;

const TOLERANCE_BP = 1000;
const LINES = ['L1', 'L2'];
const placeOrder = orderCmd<PlaceOrder>('PlaceOrder', {
  orderId: 'o-1',
  customerId: 'c-1',
  orderDate: TODAY,
  quoteId: null,
  salesCredit: [{ salespersonId: 'sp-1', shareBp: 10_000 }],
  lines: [lineL1AtList, lineL2AtList],
  credit: { creditLimit: null, exposureBeforeOrder: 0, customerBlocked: false },
  settings: { maxDiscountBpByRole: {} },
});

type Op =
  | { op: 'deliver'; line: number; qty: number; override: boolean }
  | { op: 'requestReturn'; line: number; qty: number; then: 'nothing' | 'accept' | 'receive' | 'refuse' }
  | { op: 'decideReturn'; index: number; accept: boolean }
  | { op: 'receiveReturn'; index: number; partial: number }
  | { op: 'invoice'; line: number | null; qty: number }
  | { op: 'cancel'; line: number; qty: number }
  | { op: 'payment'; amount: number; auto: boolean }
  | { op: 'deposit'; amount: number }
  | { op: 'allocate'; source: number; invoice: number; amount: number }
  | { op: 'refund'; source: number; amount: number }
  | { op: 'writeOff'; invoice: number; amount: number }
  | { op: 'refuse'; invoice: number };

const qty = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 4 }, { arbitrary: fc.integer({ min: -1, max: 12 }), weight: 1 });
const line = fc.oneof({ arbitrary: fc.nat(1), weight: 9 }, { arbitrary: fc.constant(2), weight: 1 });
const amount = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 100_000 }), weight: 9 },
  { arbitrary: fc.integer({ min: -100, max: 0 }), weight: 1 },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('deliver' as const), line, qty, override: fc.boolean() }), weight: 5 },
  {
    arbitrary: fc.record({
      op: fc.constant('requestReturn' as const),
      line,
      qty,
      then: fc.constantFrom('nothing' as const, 'accept' as const, 'receive' as const, 'refuse' as const),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant('decideReturn' as const), index: fc.nat(2), accept: fc.boolean() }), weight: 3 },
  {
    arbitrary: fc.record({ op: fc.constant('receiveReturn' as const), index: fc.nat(2), partial: fc.integer({ min: 0, max: 3 }) }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant('invoice' as const), line: fc.option(line), qty }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('cancel' as const), line, qty }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('payment' as const), amount, auto: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('deposit' as const), amount }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('allocate' as const), source: fc.nat(4), invoice: fc.nat(4), amount }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('refund' as const), source: fc.nat(3), amount }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('writeOff' as const), invoice: fc.nat(4), amount }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('refuse' as const), invoice: fc.nat(4) }), weight: 1 },
);

const placedOf = (s: OrderState): PlacedOrder => {
  if (s.status !== 'placed') throw new Error('order not placed');
  return s;
};

/** Decide and fold, or return the state unchanged when a NAMED DomainError refuses the command. */
const run = <S, C extends Command, E extends { type: string }>(
  decider: { decide: (c: C, s: S) => E[]; evolve: (s: S, e: E) => S },
  state: S,
  command: C,
) => {
  try {
    const events = decider.decide(command, state);
    return { state: events.reduce(decider.evolve, state), events, refused: null as string | null };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    expect(error.code).toMatch(/^[A-Z][A-Za-z]+$/);
    return { state, events: [] as E[], refused: error.code };
  }
};

const checkOrderInvariants = (order: PlacedOrder, overridden: Set<string>) => {
  for (const line of order.lines) {
    const q = lineQuantities(line);
    expect(q.cancelled).toBeGreaterThanOrEqual(0);
    expect(q.cancelled).toBeLessThanOrEqual(q.ordered);
    expect(q.returnedReceived).toBeGreaterThanOrEqual(0);
    expect(q.returnedReceived).toBeLessThanOrEqual(q.delivered);
    if (!overridden.has(line.lineId))
      expect(q.netDelivered).toBeLessThanOrEqual(q.effectiveOrdered + overDeliveryTolerance(line, TOLERANCE_BP));
    expect(q.credited).toBeGreaterThanOrEqual(0);
    expect(q.credited).toBeLessThanOrEqual(q.billed);
    expect(q.billed - q.credited).toBeLessThanOrEqual(q.netDelivered);
    const openReturns = order.returns
      .filter((r) => r.status === 'requested' || r.status === 'accepted')
      .flatMap((r) => r.lines)
      .filter((l) => l.lineId === line.lineId)
      .reduce((a, l) => a + l.quantity, 0);
    expect(openReturns).toBeLessThanOrEqual(q.netDelivered);
  }
  for (const inv of order.invoices) {
    for (const l of inv.lines) expect(inv.creditedByLine[l.lineId] ?? 0).toBeLessThanOrEqual(l.quantity);
  }
  expect(orderStatus(order)).toMatch(
    /^(awaiting_price_approval|on_credit_hold|to_deliver_and_bill|to_bill|to_deliver|completed|cancelled)$/,
  );
};

const checkAccountInvariants = (account: AccountState, order: PlacedOrder) => {
  for (const s of accountSources(account)) {
    expect(s.allocated + s.refunded).toBeLessThanOrEqual(s.amount);
    expect(unallocated(s)).toBeGreaterThanOrEqual(0);
  }
  for (const inv of accountInvoices(account)) {
    expect(inv.allocated + inv.credited + inv.writtenOff).toBeLessThanOrEqual(inv.amount);
    expect(openBalance(inv)).toBeGreaterThanOrEqual(0);
    expect(inv.creditNoteTotal).toBeLessThanOrEqual(inv.amount);
  }
  expect(openReservations(account).every(([, r]) => r > 0)).toBe(true);
  expect(exposure(account)).toBe(
    computeExposure({
      openReceivables: openReceivables(account),
      confirmedUnbilledOrders: reservedForOrders(account),
      thisOrder: 0,
      unallocatedDeposits: unallocatedCredit(account),
    }),
  );
  // the account mirrors the order: every invoice posted, every credit note applied
  expect(
    accountInvoices(account)
      .map((i) => i.invoiceId)
      .sort(),
  ).toEqual(order.invoices.map((i) => i.invoiceId).sort());
};

describe('order + account invariants under random command sequences', () => {
  it('never break: returned ≤ delivered ≤ ordered + tolerance, billed ≤ net delivered, credited ≤ billed, allocations bounded, exposure formula', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 60 }), (ops) => {
        let order = run(orderDecider, orderDecider.initialState(), placeOrder).state;
        const orderTotal = placedOf(order).lines.reduce((a, l) => a + l.quantity * l.unitPrice, 0);
        let account = run(
          accountDecider,
          accountDecider.initialState(),
          accountCmd('ReserveCredit', { orderId: 'o-1', amount: orderTotal, creditLimit: null, customerBlocked: false }, ['salesperson']),
        ).state;
        const overridden = new Set<string>();
        const sourceIds: { id: string; kind: 'payment' | 'deposit' }[] = [];

        const mirror = (events: OrderEvent[]) => {
          for (const e of events) {
            if (e.type === 'InvoiceIssued') {
              const r = run(
                accountDecider,
                account,
                accountCmd(
                  'PostInvoice',
                  {
                    invoiceId: e.data.invoiceId,
                    orderId: e.data.orderId,
                    amount: e.data.amount,
                    invoiceDate: e.data.invoiceDate,
                    dueDate: e.data.dueDate,
                  },
                  ['salesperson'],
                ),
              );
              if (e.data.amount > 0) expect(r.refused).toBeNull();
              account = r.state;
            }
            if (e.type === 'CreditNoteIssued') {
              const r = run(
                accountDecider,
                account,
                accountCmd(
                  'PostCreditNote',
                  {
                    creditNoteId: e.data.creditNoteId,
                    invoiceId: e.data.invoiceId,
                    orderId: e.data.orderId,
                    amount: e.data.amount,
                    issuedOn: e.data.issuedOn,
                  },
                  ['salesperson'],
                ),
              );
              expect(r.refused).toBeNull();
              account = r.state;
            }
          }
        };

        ops.forEach((op, step) => {
          const o = placedOf(order);
          const lineId = (i: number) => LINES[i] ?? 'L9';
          const invoiceIds = accountInvoices(account)
            .map((i) => i.invoiceId)
            .sort();
          let result: { state: OrderState; events: OrderEvent[] } | null = null;
          switch (op.op) {
            case 'deliver':
              result = run(
                orderDecider,
                order,
                orderCmd('DeliverGoods', {
                  deliveryId: `d${step}`,
                  billOfLading: `B${step}`,
                  carrier: 'DHL',
                  deliveryDate: TODAY,
                  lines: [{ lineId: lineId(op.line), quantity: op.qty }],
                  overDelivery: op.override ? { reason: 'approved' } : null,
                  credit: { creditLimit: null, exposureBeforeOrder: 0, customerBlocked: false },
                  settings: { overDeliveryToleranceBp: TOLERANCE_BP, creditReleaseValidityDays: 7 },
                }),
              );
              for (const e of result.events) if (e.type === 'GoodsDelivered' && e.data.overDelivery) overridden.add(e.data.lines[0].lineId);
              break;
            case 'requestReturn': {
              // request, then optionally carry the return on, so that full return flows are frequent
              const returnId = `r${step}`;
              const steps: OrderCommand[] = [
                orderCmd('RequestReturn', { returnId, reason: 'damaged', lines: [{ lineId: lineId(op.line), quantity: op.qty }] }),
              ];
              if (op.then === 'refuse') steps.push(orderCmd('RefuseReturn', { returnId, reason: 'no' }));
              if (op.then === 'accept' || op.then === 'receive') steps.push(orderCmd('AcceptReturn', { returnId }));
              if (op.then === 'receive') steps.push(orderCmd('ReceiveReturnedGoods', { returnId, receivedOn: TODAY }));
              const events: OrderEvent[] = [];
              let state = order;
              for (const c of steps) {
                const r = run(orderDecider, state, c);
                state = r.state;
                events.push(...r.events);
              }
              result = { state, events };
              break;
            }
            case 'decideReturn': {
              const ret = o.returns[o.returns.length - 1 - op.index];
              if (!ret) return;
              result = run(
                orderDecider,
                order,
                op.accept
                  ? orderCmd('AcceptReturn', { returnId: ret.returnId })
                  : orderCmd('RefuseReturn', { returnId: ret.returnId, reason: 'no' }),
              );
              break;
            }
            case 'receiveReturn': {
              const ret = o.returns[o.returns.length - 1 - op.index];
              if (!ret) return;
              const lines =
                op.partial === 0
                  ? undefined
                  : ret.lines.map((l) => ({ lineId: l.lineId, quantity: Math.max(1, l.quantity - op.partial + 1) }));
              result = run(orderDecider, order, orderCmd('ReceiveReturnedGoods', { returnId: ret.returnId, receivedOn: TODAY, lines }));
              break;
            }
            case 'invoice':
              result = run(
                orderDecider,
                order,
                orderCmd('InvoiceOrder', {
                  invoiceId: `i${step}`,
                  invoiceDate: TODAY,
                  paymentTermsDays: 30,
                  lines: op.line === null ? undefined : [{ lineId: lineId(op.line), quantity: op.qty }],
                }),
              );
              break;
            case 'cancel':
              result = run(
                orderDecider,
                order,
                orderCmd('CancelOrder', { reason: 'x', lines: [{ lineId: lineId(op.line), quantity: op.qty }] }),
              );
              break;
            case 'payment': {
              const r = run(
                accountDecider,
                account,
                accountCmd('ReceivePayment', {
                  paymentId: `p${step}`,
                  amount: op.amount,
                  receivedOn: TODAY,
                  allocations: op.auto
                    ? undefined
                    : invoiceIds.slice(0, 1).map((invoiceId) => ({ invoiceId, amount: Math.floor(op.amount / 2) })),
                }),
              );
              if (!r.refused) sourceIds.push({ id: `p${step}`, kind: 'payment' });
              account = r.state;
              break;
            }
            case 'deposit': {
              const r = run(
                accountDecider,
                account,
                accountCmd('ReceiveDeposit', { depositId: `dep${step}`, amount: op.amount, receivedOn: TODAY }),
              );
              if (!r.refused) sourceIds.push({ id: `dep${step}`, kind: 'deposit' });
              account = r.state;
              break;
            }
            case 'allocate': {
              const src = sourceIds[op.source];
              if (!src) return;
              account = run(
                accountDecider,
                account,
                accountCmd('AllocateCredit', {
                  sourceId: src.id,
                  sourceKind: src.kind,
                  invoiceId: invoiceIds[op.invoice] ?? 'nope',
                  amount: op.amount,
                }),
              ).state;
              break;
            }
            case 'refund': {
              const src = sourceIds.filter((s) => s.kind === 'deposit')[op.source];
              if (!src) return;
              account = run(accountDecider, account, accountCmd('RefundDeposit', { depositId: src.id, amount: op.amount })).state;
              break;
            }
            case 'writeOff':
              account = run(
                accountDecider,
                account,
                accountCmd('WriteOffInvoice', { invoiceId: invoiceIds[op.invoice] ?? 'nope', amount: op.amount, reason: 'bad debt' }),
              ).state;
              break;
            case 'refuse':
              account = run(
                accountDecider,
                account,
                accountCmd('RefusePayment', { invoiceId: invoiceIds[op.invoice] ?? 'nope', reason: 'dispute' }),
              ).state;
              break;
          }
          if (result) {
            order = result.state;
            mirror(result.events);
          }
          checkOrderInvariants(placedOf(order), overridden);
          checkAccountInvariants(account, placedOf(order));
        });
      }),
      { numRuns: 150 },
    );
  });
});
