import fc from 'fast-check';
import { addDays, Command, DomainError, Role } from '@salesline/shared-kernel';
import { AccountCommand, accountDecider, AccountEvent, accountInvoices, AccountState, exposure } from '@salesline/receivables/domain';
import { exposureExcludingOrder, openReceivables, reservationOf, unallocatedCredit } from '@salesline/receivables/domain';
import { recordedEvent } from '@salesline/core/testing';
import { evolveOrderBoard, OrderBoardDoc } from '../read-models/order-board.projection';
import { OrderCommand, orderDecider, OrderEvent, PlaceOrder } from '../domain/order';
import { holdAfterRefusal, nextAccountCommand } from '../domain/order-account-process';
import { deliverableQuantity, lineQuantities, OrderState } from '../domain/order-state';

/**
 * Issue 8 / ADR 0111: the order board and the customer's account never disagree, and no quantity
 * becomes deliverable while exposure is over the limit unless finance released it. Random sequences
 * of orders, deliveries, returns (accepted, refused, received; with and without replacement),
 * cancellations, invoices, deposits, payments, payment refusals, credit-limit changes and finance
 * releases for one customer run through the order and account deciders and the pure
 * order-to-account process (`nextAccountCommand`, `holdAfterRefusal`) exactly as the process
 * manager runs them. The clock says TODAY, far after every business date: no event may carry it.
 */
const TODAY = '2030-12-31';
const START = '2025-03-01';
const ctx = (roles: Role[]) => ({ actor: { userId: `u-${roles[0]}`, roles }, now: `${TODAY}T10:00:00Z`, today: TODAY });
const SYSTEM: Role[] = ['admin'];
const ORDERS = ['o-1', 'o-2', 'o-3'];
const TOLERANCE_BP = 1000;

type Op =
  | { op: 'place'; order: number; lines: { quantity: number; price: number }[] }
  | { op: 'deliver'; order: number; line: number; qty: number }
  | { op: 'return'; order: number; line: number; qty: number; replacement: boolean; then: 'nothing' | 'accept' | 'refuse' | 'receive' }
  | { op: 'receive'; order: number; index: number }
  | { op: 'invoice'; order: number }
  | { op: 'cancel'; order: number; line: number; qty: number }
  | { op: 'deposit'; amount: number }
  | { op: 'payment'; amount: number }
  | { op: 'refusePayment'; invoice: number }
  | { op: 'limit'; limit: number | null }
  | { op: 'release'; order: number };

const order = fc.nat(2);
const line = fc.nat(1);
const qty = fc.integer({ min: 1, max: 3 });
const placeArb: fc.Arbitrary<Op> = fc.record({
  op: fc.constant('place' as const),
  order,
  lines: fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 6 }), price: fc.integer({ min: 1, max: 20 }).map((p) => p * 10_00) }), {
    minLength: 1,
    maxLength: 2,
  }),
});
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: placeArb, weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('deliver' as const), order, line, qty }), weight: 8 },
  {
    arbitrary: fc.record({
      op: fc.constant('return' as const),
      order,
      line,
      qty: fc.integer({ min: 1, max: 2 }),
      replacement: fc.boolean(),
      then: fc.constantFrom('nothing' as const, 'accept' as const, 'refuse' as const, 'receive' as const, 'receive' as const),
    }),
    weight: 6,
  },
  { arbitrary: fc.record({ op: fc.constant('receive' as const), order, index: fc.nat(2) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('invoice' as const), order }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('cancel' as const), order, line, qty }), weight: 1 },
  {
    arbitrary: fc.record({ op: fc.constant('deposit' as const), amount: fc.integer({ min: 1, max: 300 }).map((a) => a * 10_00) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ op: fc.constant('payment' as const), amount: fc.integer({ min: 1, max: 300 }).map((a) => a * 10_00) }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constant('refusePayment' as const), invoice: fc.nat(3) }), weight: 1 },
  {
    arbitrary: fc.record({ op: fc.constant('limit' as const), limit: fc.option(fc.integer({ min: 0, max: 600 }).map((a) => a * 10_00)) }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constant('release' as const), order }), weight: 2 },
);

/** Decide and fold; a command refused with a NAMED DomainError leaves the state as it was. */
const run = <S, C extends Command, E>(decider: { decide: (c: C, s: S) => E[]; evolve: (s: S, e: E) => S }, state: S, command: C) => {
  try {
    const events = decider.decide(command, state);
    return { state: events.reduce(decider.evolve, state), events };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    expect(error.code).toMatch(/^[A-Z][A-Za-z]+$/);
    return { state, events: [] as E[] };
  }
};
const placedOf = (s: OrderState | undefined): Extract<OrderState, { status: 'placed' }> | null => (s && s.status === 'placed' ? s : null);
/** Every business date an event carries: fields named …On or …Date. */
const datesOf = (data: object): string[] =>
  Object.entries(data)
    .filter(([k, v]) => /(On|Date)$/.test(k) && typeof v === 'string')
    .map(([, v]) => v as string);

describe('order board and customer account agree at every moment (orders + account + order-to-account process)', () => {
  it('exposure = open receivables + what the board shows reserved − money on account; nothing becomes deliverable over the limit without a finance release', () => {
    fc.assert(
      fc.property(
        fc.tuple(placeArb, placeArb, placeArb),
        fc.array(opArb, { minLength: 20, maxLength: 60, size: 'max' }),
        fc.option(fc.integer({ min: 0, max: 600 }).map((a) => a * 10_00)),
        (placements, rest, initialLimit) => {
          // the three orders are placed first (in turn), more placements come later at random
          const ops = [...placements.map((p, i) => ({ ...p, order: i })), ...rest];
          let creditLimit: number | null = initialLimit;
          let account: AccountState = accountDecider.initialState();
          const orders = new Map<string, OrderState>();
          const boards = new Map<string, OrderBoardDoc | null>();
          const revisions = new Map<string, number>();
          let holdsByProcess = 0;
          let day = START;
          const written: { type: string; data: object }[] = [];

          const onAccount = (command: AccountCommand): AccountEvent[] => {
            const r = run(accountDecider, account, command);
            account = r.state;
            written.push(...r.events);
            return r.events;
          };
          const board = (orderId: string, events: readonly OrderEvent[]) => {
            for (const e of events) {
              const revision = (revisions.get(orderId) ?? -1) + 1;
              revisions.set(orderId, revision);
              const recorded = recordedEvent(`order-${orderId}`, e, { position: revision + 1, revision, occurredAt: `${TODAY}T10:00:00Z` });
              boards.set(orderId, evolveOrderBoard(boards.get(orderId) ?? null, recorded));
            }
          };
          /** Appends order events, then lets the order-to-account process react to each, as the process manager does. */
          const appended = (orderId: string, state: OrderState, events: readonly OrderEvent[]) => {
            orders.set(orderId, state);
            written.push(...events);
            board(orderId, events);
            for (const event of events) {
              for (let step = 0; step < 4; step++) {
                const current = placedOf(orders.get(orderId))!;
                const command = nextAccountCommand(event, current, account, { creditLimit, blocked: false });
                if (!command) break;
                const hold = holdAfterRefusal(onAccount({ ...command, context: ctx(SYSTEM) } as AccountCommand));
                if (hold) {
                  holdsByProcess++;
                  const r = run(orderDecider, current, { type: 'HoldOrderForCredit', data: hold, context: ctx(SYSTEM) } as OrderCommand);
                  appended(orderId, r.state, r.events);
                  break;
                }
              }
            }
          };
          const onOrder = (orderId: string, command: { type: OrderCommand['type']; data: unknown }, roles: Role[] = ['sales_manager']) => {
            const state = orders.get(orderId);
            if (!placedOf(state)) return;
            const r = run(orderDecider, state!, { ...command, context: ctx(roles) } as OrderCommand);
            appended(orderId, r.state, r.events);
          };
          const facts = (orderId: string) => ({
            creditLimit,
            exposureBeforeOrder: exposureExcludingOrder(account, orderId),
            customerBlocked: false,
          });

          ops.forEach((op, step) => {
            day = addDays(day, 1);
            const before = new Map(ORDERS.map((id) => [id, placedOf(orders.get(id))]));
            const orderId = 'order' in op ? ORDERS[op.order] : '';
            const current = orderId ? placedOf(orders.get(orderId)) : null;
            const lineId = (i: number) => current?.lines[i % current.lines.length]?.lineId ?? 'L1';
            switch (op.op) {
              case 'place': {
                if (orders.has(orderId)) return;
                // As a placement (`OrderFacts`): dry run, reserve on the account, then the order records the account's decision.
                const command = {
                  type: 'PlaceOrder',
                  data: {
                    orderId,
                    customerId: 'c-1',
                    orderDate: day,
                    quoteId: null,
                    salesCredit: [{ salespersonId: 'sp-1', shareBp: 10_000 }],
                    lines: op.lines.map((l, i) => ({
                      lineId: `L${i + 1}`,
                      productId: `p-${i}`,
                      quantity: l.quantity,
                      unitPrice: l.price,
                      listPrice: l.price,
                      resolvedUnitPrice: l.price,
                      priceSource: { kind: 'list' },
                      unitCost: l.price / 2,
                    })),
                    credit: facts(orderId),
                    settings: { maxDiscountBpByRole: {} },
                  },
                  context: ctx(['salesperson']),
                } as PlaceOrder;
                const dry = orderDecider.decide(command, orderDecider.initialState());
                const checkedAmount = (
                  dry.find((e) => e.type === 'OrderConfirmed' || e.type === 'OrderPutOnCreditHold')!.data as { checkedAmount: number }
                ).checkedAmount;
                onAccount({
                  type: 'ReserveCredit',
                  data: { orderId, amount: checkedAmount, creditLimit, customerBlocked: false, decidedOn: day },
                  context: ctx(['salesperson']),
                } as AccountCommand);
                const r = run(orderDecider, orderDecider.initialState(), { ...command, data: { ...command.data, credit: facts(orderId) } });
                appended(orderId, r.state, r.events);
                break;
              }
              case 'deliver':
                onOrder(orderId, {
                  type: 'DeliverGoods',
                  data: {
                    deliveryId: `d${step}`,
                    billOfLading: `B${step}`,
                    carrier: 'DHL',
                    deliveryDate: day,
                    lines: [{ lineId: lineId(op.line), quantity: op.qty }],
                    credit: facts(orderId),
                    settings: { overDeliveryToleranceBp: TOLERANCE_BP, creditReleaseValidityDays: 7 },
                  },
                });
                break;
              case 'return': {
                const returnId = `r${step}`;
                onOrder(orderId, {
                  type: 'RequestReturn',
                  data: {
                    returnId,
                    reason: 'damaged',
                    replacement: op.replacement,
                    requestedOn: day,
                    lines: [{ lineId: lineId(op.line), quantity: op.qty }],
                  },
                });
                if (op.then === 'refuse') onOrder(orderId, { type: 'RefuseReturn', data: { returnId, reason: 'used', refusedOn: day } });
                if (op.then === 'accept' || op.then === 'receive')
                  onOrder(orderId, { type: 'AcceptReturn', data: { returnId, acceptedOn: day } });
                if (op.then === 'receive')
                  onOrder(orderId, {
                    type: 'ReceiveReturnedGoods',
                    data: { returnId, receivedOn: day, credit: facts(orderId), settings: { creditReleaseValidityDays: 7 } },
                  });
                break;
              }
              case 'receive': {
                const accepted = current?.returns.filter((r) => r.status === 'accepted') ?? [];
                const ret = accepted[op.index % Math.max(1, accepted.length)];
                if (ret)
                  onOrder(orderId, {
                    type: 'ReceiveReturnedGoods',
                    data: { returnId: ret.returnId, receivedOn: day, credit: facts(orderId), settings: { creditReleaseValidityDays: 7 } },
                  });
                break;
              }
              case 'invoice':
                onOrder(orderId, { type: 'InvoiceOrder', data: { invoiceId: `i${step}`, invoiceDate: day, paymentTermsDays: 30 } }, [
                  'finance',
                ]);
                break;
              case 'cancel':
                onOrder(orderId, {
                  type: 'CancelOrder',
                  data: { reason: 'customer', cancelledOn: day, lines: [{ lineId: lineId(op.line), quantity: op.qty }] },
                });
                break;
              case 'deposit':
                onAccount({
                  type: 'ReceiveDeposit',
                  data: { depositId: `dep${step}`, amount: op.amount, receivedOn: day },
                  context: ctx(['finance']),
                } as AccountCommand);
                break;
              case 'payment':
                onAccount({
                  type: 'ReceivePayment',
                  data: { paymentId: `p${step}`, amount: op.amount, receivedOn: day },
                  context: ctx(['finance']),
                } as AccountCommand);
                break;
              case 'refusePayment': {
                const invoiceId = accountInvoices(account)
                  .map((i) => i.invoiceId)
                  .sort()[op.invoice];
                if (invoiceId)
                  onAccount({
                    type: 'RefusePayment',
                    data: { invoiceId, reason: 'disputed', refusedOn: day },
                    context: ctx(['finance']),
                  } as AccountCommand);
                break;
              }
              case 'limit':
                creditLimit = op.limit;
                break;
              case 'release':
                onOrder(orderId, { type: 'ReleaseCreditHold', data: { reason: 'prepaid by wire', releasedOn: day } }, ['finance']);
                break;
            }

            // 1. the account reserves, per order, exactly what the board shows; exposure is built from the board's figures
            let boardReserved = 0;
            for (const id of ORDERS) {
              const o = placedOf(orders.get(id));
              const doc = boards.get(id);
              if (!o || !doc) {
                expect(reservationOf(account, id)).toBe(0);
                continue;
              }
              expect(reservationOf(account, id)).toBe(doc.creditReserved);
              boardReserved += doc.creditReserved;
              // the board's quantities are the decider's
              expect(doc.lines.map((l) => l.openToDeliver)).toEqual(o.lines.map((l) => lineQuantities(l).openToDeliver));
              const billableValue = doc.lines.reduce((a, l) => a + l.billable * l.unitPrice, 0);
              // off hold the whole unbilled value is reserved; on hold only what the customer already has
              expect(doc.creditReserved).toBe(doc.credit.status === 'held' ? billableValue : doc.unbilledValue);
              expect(doc.margin).toBe(doc.value - doc.cost);
            }
            expect(exposure(account)).toBe(openReceivables(account) + boardReserved - unallocatedCredit(account));

            // 2. quantity that became deliverable: within the limit, or a finance release says who allowed it
            for (const id of ORDERS) {
              const o = placedOf(orders.get(id));
              if (!o) continue;
              const was = before.get(id);
              if (
                deliverableQuantity(o) > (was ? deliverableQuantity(was) : 0) &&
                creditLimit !== null &&
                exposure(account) > creditLimit
              ) {
                expect(o.credit.status).toBe('released');
                if (o.credit.status === 'released') expect(o.credit.releasedBy).toBe('u-finance');
              }
            }
          });
          // 3. sequential runs never race: the order's own check and the account's always agree
          expect(holdsByProcess).toBe(0);
          // 4. every business date written is a day of the sequence, never the recording day
          for (const e of written) for (const date of datesOf(e.data)) expect(date).not.toBe(TODAY);
        },
      ),
      { numRuns: 150 },
    );
  });
});
