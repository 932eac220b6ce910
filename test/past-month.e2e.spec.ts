import { ADMIN_TOKEN, RunningApp, startInProcessApp } from './support/in-process-app';
import { tokensFor, writes } from './support/scenario';

/**
 * Issue 8 §3: a whole past month of quote to cash entered after the fact. Every command carries its
 * business date; afterwards every business date in every stream (fields named …On / …Date, except the
 * computed due date) lies in that month — never today, the day it was recorded (metadata.occurredAt).
 */
describe('A past month entered after the fact keeps its business dates in every stream', () => {
  let app: RunningApp;
  let manager: string;
  let anna: string;
  let finance: string;
  let auditor: string;
  const today = new Date().toISOString().slice(0, 10);
  // the calendar month two months back
  const first = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 3, 1));
  const month = first.toISOString().slice(0, 7);
  const d = (n: number) => `${month}-${String(n).padStart(2, '0')}`;
  const written = writes();
  const ok = written.ok;

  beforeAll(async () => {
    app = await startInProcessApp();
    ({ manager, anna, finance, auditor } = await tokensFor(app.http, 'manager', 'anna', 'finance', 'auditor'));
  }, 60_000);
  afterAll(() => app.close());

  it(`records ${'every step'} on its own day of the month, and consequences on the day of their cause`, async () => {
    const { http } = app;
    const customer = ok(
      await http.post(
        '/api/customers',
        {
          name: 'Backlog GmbH',
          customerGroup: 'trade',
          territory: 'north',
          ownerId: 'anna',
          creditLimit: 5_000,
          paymentTermsDays: 30,
          registeredOn: d(1),
        },
        finance,
      ),
    ).id;
    const product = ok(
      await http.post(
        '/api/products',
        { sku: 'PM-1', name: 'Valve', unit: 'pcs', listPrice: 1_000, standardCost: 500, registeredOn: d(1) },
        manager,
      ),
    ).id;
    const priceList = ok(
      await http.post(
        '/api/price-lists',
        {
          name: 'Trade',
          scope: { kind: 'group', customerGroup: 'trade' },
          validFrom: d(1),
          // valid through the month only: a revision priced on today's date would miss it
          validTo: d(28),
          items: [{ productId: product, breaks: [{ minQuantity: 1, unitPrice: 950 }] }],
        },
        manager,
      ),
    ).id;
    ok(await http.post(`/api/products/${product}/cost`, { standardCost: 520, changedOn: d(2) }, finance));
    ok(await http.post(`/api/customers/${customer}/deposits`, { amount: 1_000, receivedOn: d(2), reference: 'advance' }, finance), [201]);

    // A quote with a discount the salesperson may not grant: the request carries the quote's date.
    const quote = ok(
      await http.post(
        '/api/quotes',
        {
          customerId: customer,
          quoteDate: d(3),
          lines: [{ productId: product, quantity: 4, unitPrice: 900, overrideReason: 'loyal customer' }],
        },
        anna,
      ),
      [201],
    );
    expect(quote.status).toBe('awaiting_price_approval');
    let q = ok(await http.get(`/api/quotes/${quote.id}?minPosition=${written.last}`, manager));
    expect(q.overrides[0]).toMatchObject({
      requestedOn: d(3),
      requestedBy: 'anna',
      reason: 'loyal customer',
      discountBp: 527,
      belowCost: false,
    });
    ok(
      await http.post(
        `/api/quotes/${quote.id}/revise`,
        { revisedOn: d(4), lines: [{ productId: product, quantity: 5, unitPrice: 900, overrideReason: 'loyal customer' }] },
        anna,
      ),
    );
    q = ok(await http.get(`/api/quotes/${quote.id}?minPosition=${written.last}`, manager));
    // the revision is priced on its own date: the month's price list (950), not today's list price (1_000)
    expect(q.overrides.find((o: { status: string }) => o.status === 'pending')).toMatchObject({ discountBp: 527, requestedOn: d(4) });
    ok(
      await http.post(
        `/api/quotes/${quote.id}/price-overrides/${q.overrides[0].overrideId}/approve`,
        { reason: 'volume next quarter', approvedOn: d(5) },
        manager,
      ),
    );
    ok(await http.post(`/api/quotes/${quote.id}/accept`, { acceptedOn: d(6) }, anna));
    // 5 × 900 = 4_500 − 1_000 deposit ≤ 5_000: confirmed on the order date.
    const converted = ok(await http.post(`/api/quotes/${quote.id}/convert`, { orderDate: d(7) }, anna), [201]);
    expect(converted.status).toBe('to_deliver_and_bill');
    const o1 = converted.orderId;

    // A direct order beyond the limit, with a discount: held on its date, the override requested on its date.
    const o2 = ok(
      await http.post(
        '/api/orders',
        { customerId: customer, orderDate: d(8), lines: [{ productId: product, quantity: 3, unitPrice: 900 }] },
        anna,
      ),
      [201],
    );
    expect(o2.status).toBe('awaiting_price_approval');
    const board2 = ok(await http.get(`/api/orders/${o2.id}?minPosition=${written.last}`, manager));
    ok(
      await http.post(
        `/api/price-overrides/${board2.pendingOverrides[0].overrideId}/approve`,
        { reason: 'match competitor', approvedOn: d(9) },
        manager,
      ),
    );
    ok(await http.post(`/api/orders/${o2.id}/release-credit-hold`, { reason: 'guarantee received', releasedOn: d(10) }, finance));

    ok(
      await http.post(
        `/api/orders/${o1}/deliveries`,
        { billOfLading: 'PM-B1', carrier: 'DHL', deliveryDate: d(11), lines: [{ lineId: 'L1', quantity: 5 }] },
        manager,
      ),
    );
    ok(
      await http.post(
        `/api/orders/${o2.id}/deliveries`,
        { billOfLading: 'PM-B2', carrier: 'DHL', deliveryDate: d(12), lines: [{ lineId: 'L1', quantity: 2 }] },
        manager,
      ),
    );
    const inv1 = ok(await http.post(`/api/orders/${o1}/invoices`, { invoiceDate: d(13) }, finance), [201]);
    ok(await http.post(`/api/orders/${o2.id}/invoices`, { invoiceDate: d(13) }, finance), [201]);
    ok(await http.post(`/api/orders/${o2.id}/cancel`, { reason: 'customer needs only 2', cancelledOn: d(14) }, manager));

    const r1 = ok(
      await http.post('/api/returns', { orderId: o1, reason: 'damaged', requestedOn: d(15), lines: [{ lineId: 'L1', quantity: 1 }] }, anna),
      [201],
    );
    ok(await http.post(`/api/returns/${r1.id}/accept`, { acceptedOn: d(16) }, manager));
    // the replacement finds the customer over the limit (order 2 was released beyond it): it waits for finance
    expect(ok(await http.post(`/api/returns/${r1.id}/receive`, { receivedOn: d(17) }, manager))).toMatchObject({
      status: 'received',
      orderStatus: 'on_credit_hold',
    });
    const r2 = ok(
      await http.post(
        '/api/returns',
        { orderId: o1, reason: 'changed mind', requestedOn: d(18), replacement: false, lines: [{ lineId: 'L1', quantity: 1 }] },
        anna,
      ),
      [201],
    );
    ok(await http.post(`/api/returns/${r2.id}/refuse`, { reason: 'outside the return window', refusedOn: d(19) }, manager));
    ok(await http.post(`/api/orders/${o1}/release-credit-hold`, { reason: 'replacement of damaged goods', releasedOn: d(19) }, finance));
    ok(
      await http.post(
        `/api/orders/${o1}/deliveries`,
        { billOfLading: 'PM-B3', carrier: 'DHL', deliveryDate: d(20), lines: [{ lineId: 'L1', quantity: 1 }] },
        manager,
      ),
    );

    ok(await http.post(`/api/customers/${customer}/payments`, { amount: 2_000, receivedOn: d(21), reference: 'wire' }, finance), [201]);
    ok(await http.post(`/api/invoices/${inv1.invoiceId}/refusals`, { reason: 'quality', refusedOn: d(22) }, finance), [201]);
    ok(await http.post(`/api/invoices/${inv1.invoiceId}/settle-dispute`, { outcome: 'customer_pays', settledOn: d(23) }, finance));
    const deposit = ok(
      await http.post(`/api/customers/${customer}/deposits`, { amount: 100, receivedOn: d(24), reference: 'top-up' }, finance),
      [201],
    );
    ok(
      await http.post(
        `/api/customers/${customer}/allocations`,
        { sourceId: deposit.id, sourceKind: 'deposit', invoiceId: inv1.invoiceId, amount: 100, allocatedOn: d(25) },
        finance,
      ),
      [201],
    );

    // The customer's file changes on its days of the month too (ADR 0115).
    ok(
      await http.post(
        `/api/customers/${customer}/credit-limit`,
        { creditLimit: 8_000, reason: 'monthly review', changedOn: d(26) },
        finance,
      ),
    );
    ok(await http.post(`/api/customers/${customer}/block`, { reason: 'dispute pending', blockedOn: d(27) }, finance));
    ok(await http.post(`/api/customers/${customer}/unblock`, { reason: 'dispute settled', unblockedOn: d(28) }, finance));
    ok(await http.patch(`/api/customers/${customer}`, { territory: 'south', changedOn: d(28) }, manager));

    // One line id from quote to order to delivery, invoice and return (ADR 0113): the quote's L1 is the order's L1.
    const quoted = ok(await http.get(`/api/quotes/${quote.id}?minPosition=${written.last}`, manager));
    expect(quoted.lines.map((l: { lineId: string }) => l.lineId)).toEqual(['L1']);
    const o1Events = ok(await http.get(`/api/streams/order-${o1}`, auditor)).events as { type: string; data: any }[];
    const lineIdsOf = (type: string) => o1Events.filter((e) => e.type === type).flatMap((e) => e.data.lines.map((l: any) => l.lineId));
    for (const type of ['OrderPlaced', 'GoodsDelivered', 'InvoiceIssued', 'ReturnRequested', 'ReturnedGoodsReceived'])
      expect([type, [...new Set(lineIdsOf(type))]]).toEqual([type, ['L1']]);

    // Every business date in every stream of the month's story.
    const streams = [
      `customer-${customer}`,
      `product-${product}`,
      `price-list-${priceList}`,
      `quote-${quote.id}`,
      `order-${o1}`,
      `order-${o2.id}`,
      `account-${customer}`,
    ];
    const seenTypes = new Set<string>();
    const datesOf = (value: unknown, path: string, out: [string, string][]) => {
      if (Array.isArray(value)) value.forEach((v, i) => datesOf(v, `${path}[${i}]`, out));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) datesOf(v, `${path}.${k}`, out);
      else if (typeof value === 'string' && /(On|Date)$/.test(path) && !path.endsWith('.dueDate')) out.push([path, value]);
    };
    for (const stream of streams) {
      const { events } = ok(await http.get(`/api/streams/${stream}`, auditor));
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) {
        seenTypes.add(e.type);
        const dates: [string, string][] = [];
        datesOf(e.data, `${stream}:${e.type}`, dates);
        // every fact of the customer's file and account names its day
        if (stream.startsWith('customer-') || stream.startsWith('account-')) expect([e.type, dates.length > 0]).toEqual([e.type, true]);
        for (const [path, value] of dates)
          expect(`${path} = ${value}`).toBe(`${path} = ${value.startsWith(month) ? value : `a day of ${month}`}`);
        // recorded today, dated in the month
        expect(e.metadata.occurredAt.slice(0, 10)).toBe(today);
      }
    }
    // the consequences the issue names were all written, and checked above
    for (const type of [
      'QuotePriceOverrideRequested',
      'QuotePriceOverrideApproved',
      'PriceOverrideRequested',
      'PriceOverrideApproved',
      'OrderConfirmed',
      'OrderPutOnCreditHold',
      'CreditHoldReleased',
      'CreditReserved',
      'CreditReservationRefused',
      'ReturnAccepted',
      'ReturnRefused',
      'ReturnedGoodsReceived',
      'CreditNotePosted',
      'PaymentAllocated',
      'ProductCostChanged',
      'CreditLimitChanged',
      'CustomerBlocked',
      'CustomerUnblocked',
      'CustomerDetailsChanged',
    ]) {
      expect(seenTypes).toContain(type);
    }
    void ADMIN_TOKEN;
  }, 120_000);
});
