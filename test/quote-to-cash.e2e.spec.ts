import { addDays } from '@salesline/shared-kernel';
import { ADMIN_TOKEN, RunningApp, startInProcessApp } from './support/in-process-app';
import { tokensFor, writes } from './support/scenario';

/**
 * A customer's whole quote-to-cash story over HTTP, checked to the unit against figures computed
 * by hand in the comments. Business dates are relative to today (they must lie in the back-dating
 * window): day(n) = today − 60 + n.
 */
describe('Quote to cash over HTTP', () => {
  let app: RunningApp;
  let manager: string;
  let anna: string;
  let finance: string;
  let auditor: string;
  const today = new Date().toISOString().slice(0, 10);
  const day = (n: number) => addDays(today, n - 60);

  const ids: Record<string, string> = {};
  const written = writes();
  const seen = written.ok;

  beforeAll(async () => {
    app = await startInProcessApp();
    ({ manager, anna, finance, auditor } = await tokensFor(app.http, 'manager', 'anna', 'finance', 'auditor'));
  });
  afterAll(() => app.close());

  it('runs quote → order (held, released) → deliveries → invoice → returns → credit note → deposit and payment → refusal', async () => {
    const { http } = app;
    // Master data: a wholesale customer with a 500.00 limit, two products, a group price list.
    ids.customer = seen(
      await http.post(
        '/api/customers',
        {
          name: 'Acme',
          customerGroup: 'wholesale',
          territory: 'north',
          ownerId: 'anna',
          creditLimit: 50_000,
          paymentTermsDays: 30,
          registeredOn: day(0),
        },
        finance,
      ),
    ).id;
    ids.p1 = seen(
      await http.post('/api/products', { sku: 'WID-1', name: 'Widget', unit: 'pcs', listPrice: 1_000, standardCost: 600 }, manager),
    ).id;
    ids.p2 = seen(
      await http.post('/api/products', { sku: 'GAD-2', name: 'Gadget', unit: 'pcs', listPrice: 5_000, standardCost: 3_000 }, manager),
    ).id;
    seen(
      await http.post(
        '/api/price-lists',
        {
          name: 'Wholesale',
          scope: { kind: 'group', customerGroup: 'wholesale' },
          validFrom: day(0),
          validTo: null,
          items: [
            {
              productId: ids.p1,
              breaks: [
                { minQuantity: 1, unitPrice: 950 },
                { minQuantity: 10, unitPrice: 900 },
              ],
            },
          ],
        },
        manager,
      ),
    );
    // A deposit of 100.00 before anything is ordered.
    seen(await http.post(`/api/customers/${ids.customer}/deposits`, { amount: 10_000, receivedOn: day(0), reference: 'advance' }, finance));

    // Quote: 20 widgets at the group break price 9.00 (10+), 10 gadgets at list 50.00 → 680.00.
    const quote = seen(
      await http.post(
        '/api/quotes',
        {
          customerId: ids.customer,
          quoteDate: day(1),
          lines: [
            { productId: ids.p1, quantity: 20 },
            { productId: ids.p2, quantity: 10 },
          ],
        },
        anna,
      ),
    );
    seen(await http.post(`/api/quotes/${quote.id}/accept`, { acceptedOn: day(2) }, anna));
    const converted = seen(await http.post(`/api/quotes/${quote.id}/convert`, { orderDate: day(2) }, anna), [201]);
    ids.o1 = converted.orderId;

    // Exposure 0 + 68_000 − 10_000 deposit = 58_000 > 50_000: on credit hold.
    let o1 = seen(await http.get(`/api/orders/${ids.o1}?minPosition=${written.last}`, manager));
    expect(o1).toMatchObject({ status: 'on_credit_hold', value: 68_000, quoteId: quote.id, salespersonId: 'anna' });
    const blocked = await http.post(
      `/api/orders/${ids.o1}/deliveries`,
      { billOfLading: 'BOL-1', carrier: 'DHL', deliveryDate: day(5), lines: [{ lineId: 'line-1', quantity: 1 }] },
      manager,
    );
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('OrderOnCreditHold');
    // A salesperson cannot release a hold; finance can, with a reason.
    expect((await http.post(`/api/orders/${ids.o1}/release-credit-hold`, { reason: 'x' }, anna)).status).toBe(403);
    seen(await http.post(`/api/orders/${ids.o1}/release-credit-hold`, { reason: 'long-standing customer, paid on time' }, finance));

    // Two partial deliveries: 12 + 4, then 8 + 6.
    seen(
      await http.post(
        `/api/orders/${ids.o1}/deliveries`,
        {
          billOfLading: 'BOL-1',
          carrier: 'DHL',
          deliveryDate: day(5),
          lines: [
            { lineId: 'line-1', quantity: 12 },
            { lineId: 'line-2', quantity: 4 },
          ],
        },
        manager,
      ),
    );
    const dupBol = await http.post(
      `/api/orders/${ids.o1}/deliveries`,
      { billOfLading: 'BOL-1', carrier: 'DHL', deliveryDate: day(6), lines: [{ lineId: 'line-1', quantity: 1 }] },
      manager,
    );
    expect(dupBol.status).toBe(409);
    expect(dupBol.body.code).toBe('DuplicateBillOfLading');
    seen(
      await http.post(
        `/api/orders/${ids.o1}/deliveries`,
        {
          billOfLading: 'BOL-2',
          carrier: 'UPS',
          deliveryDate: day(8),
          lines: [
            { lineId: 'line-1', quantity: 8 },
            { lineId: 'line-2', quantity: 6 },
          ],
        },
        manager,
      ),
    );
    // Nothing more than ordered (tolerance 0): 1 more widget is refused.
    const over = await http.post(
      `/api/orders/${ids.o1}/deliveries`,
      { billOfLading: 'BOL-X', carrier: 'UPS', deliveryDate: day(8), lines: [{ lineId: 'line-1', quantity: 1 }] },
      anna,
    );
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('OverDeliveryNotAllowed');

    // Invoice everything delivered: 20 × 900 + 10 × 5_000 = 68_000, due day 40.
    const invoice1 = seen(await http.post(`/api/orders/${ids.o1}/invoices`, { invoiceDate: day(10) }, finance), [201]);
    expect((await http.post(`/api/orders/${ids.o1}/invoices`, { invoiceDate: day(10) }, finance)).body.code).toBe('EmptyInvoice');

    // Returns: 2 gadgets refused; 5 widgets accepted and received → credit note 5 × 900 = 4_500.
    const r1 = seen(
      await http.post(
        '/api/returns',
        { orderId: ids.o1, reason: 'changed mind', requestedOn: day(12), lines: [{ lineId: 'line-2', quantity: 2 }] },
        anna,
      ),
      [201],
    );
    const r2 = seen(
      await http.post(
        '/api/returns',
        { orderId: ids.o1, reason: 'damaged', requestedOn: day(12), lines: [{ lineId: 'line-1', quantity: 5 }] },
        anna,
      ),
      [201],
    );
    const tooMany = await http.post('/api/returns', { orderId: ids.o1, reason: 'all', lines: [{ lineId: 'line-1', quantity: 16 }] }, anna);
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.code).toBe('ReturnExceedsDelivered');
    seen(await http.post(`/api/returns/${r1.id}/refuse`, { reason: 'outside the return window' }, manager));
    seen(await http.post(`/api/returns/${r2.id}/accept`, {}, manager));
    seen(await http.post(`/api/returns/${r2.id}/receive`, { receivedOn: day(15) }, manager));

    // Payment of 300.00 on day 20, oldest due first → invoice 1.
    seen(
      await http.post(`/api/customers/${ids.customer}/payments`, { amount: 30_000, receivedOn: day(20), reference: 'wire' }, finance),
      [201],
    );

    // A second, direct order: 5 widgets at the group price 9.50 (break 1) = 4_750.
    // Exposure: open 68_000 − 10_000 − 4_500 − 30_000 = 23_500, reserved for order 1's reopened 5 widgets 4_500, + 4_750 = 32_750 ≤ 50_000.
    const o2 = seen(
      await http.post('/api/orders', { customerId: ids.customer, orderDate: day(21), lines: [{ productId: ids.p1, quantity: 5 }] }, anna),
      [201],
    );
    ids.o2 = o2.id;
    expect(o2.status).toBe('to_deliver_and_bill'); // nothing delivered or billed yet
    seen(
      await http.post(
        `/api/orders/${ids.o2}/deliveries`,
        { billOfLading: 'BOL-3', carrier: 'DHL', deliveryDate: day(22), lines: [{ lineId: 'L1', quantity: 5 }] },
        manager,
      ),
    );
    const invoice2 = seen(await http.post(`/api/orders/${ids.o2}/invoices`, { invoiceDate: day(23) }, finance), [201]);
    // The customer refuses to pay invoice 2: out of dunning, still in exposure.
    seen(
      await http.post(`/api/invoices/${invoice2.invoiceId}/refusals`, { reason: 'disputes quality', refusedOn: day(25) }, finance),
      [201],
    );

    // ── Order board ──
    o1 = seen(await http.get(`/api/orders/${ids.o1}?minPosition=${written.last}`, manager));
    expect(o1).toMatchObject({
      status: 'to_deliver_and_bill', // the 5 returned widgets are open for a replacement (ADR 0107), not yet billed again
      value: 68_000,
      cost: 20 * 600 + 10 * 3_000,
      margin: 68_000 - 42_000,
      invoicedAmount: 68_000,
      creditedAmount: 4_500,
    });
    // the order keeps the quote's line L1; the requests above named it `line-1`, the scheme of older quotes, which still resolves (ADR 0113)
    expect(o1.lines.find((l: any) => l.lineId === 'L1')).toMatchObject({
      ordered: 20,
      delivered: 20,
      returnedReceived: 5,
      netDelivered: 15,
      billed: 20,
      credited: 5,
      openToDeliver: 5,
      billable: 0,
    });
    expect(o1.returns.map((r: any) => [r.returnId, r.status])).toEqual([
      [r1.id, 'refused'],
      [r2.id, 'received'],
    ]);
    expect(o1.creditNotes).toEqual([expect.objectContaining({ invoiceId: invoice1.invoiceId, amount: 4_500 })]);
    const board = seen(await http.get(`/api/orders?customerId=${ids.customer}&minPosition=${written.last}`, manager));
    expect(board.total).toBe(2);
    expect(board.totals).toMatchObject({ count: 2, value: 68_000 + 4_750, margin: 26_000 + 1_750 });
    const o2doc = board.items.find((o: any) => o.orderId === ids.o2);
    expect(o2doc).toMatchObject({
      status: 'completed',
      value: 4_750,
      margin: 1_750,
      deliveredBp: 10_000,
      billedBp: 10_000,
      customerName: 'Acme',
    });
    const backlog = seen(await http.get(`/api/reports/backlog?minPosition=${written.last}`, manager));
    expect(backlog.items).toEqual([expect.objectContaining({ productId: ids.p1, quantity: 5, value: 4_500 })]);

    // ── Receivables, as of day 45: invoice 1 is 5 days overdue, invoice 2 not yet due ──
    const asOf45 = seen(await http.get(`/api/receivables/${ids.customer}?asOf=${day(45)}&minPosition=${written.last}`, finance));
    expect(asOf45).toMatchObject({
      openReceivables: 28_250,
      aging: { current: 4_750, days1to30: 23_500, days31to60: 0, days61to90: 0, over90: 0, total: 28_250 },
      depositsOnHand: 0,
      disputedAmount: 4_750,
      reservedForOrders: 4_500,
      exposure: 32_750,
      creditLimit: 50_000,
      headroom: 17_250,
    });
    const inv1 = asOf45.openInvoices.find((i: any) => i.invoiceId === invoice1.invoiceId);
    expect(inv1).toMatchObject({ amount: 68_000, openBalance: 23_500, dueDate: day(40), daysOverdue: 5, inDunning: true, disputed: false });
    const inv2 = asOf45.openInvoices.find((i: any) => i.invoiceId === invoice2.invoiceId);
    expect(inv2).toMatchObject({ amount: 4_750, openBalance: 4_750, dueDate: day(53), disputed: true, inDunning: false });
    // As of day 12, before the credit note and the payment: 68_000 − 10_000 deposit = 58_000, not yet due.
    const asOf12 = seen(await http.get(`/api/receivables/${ids.customer}?asOf=${day(12)}`, finance));
    expect(asOf12.aging).toMatchObject({ current: 58_000, total: 58_000 });
    // Company totals.
    const company = seen(await http.get(`/api/receivables?asOf=${day(45)}`, finance));
    expect(company.totals).toMatchObject({ openReceivables: 28_250, disputedAmount: 4_750, exposure: 32_750 });

    // ── The audit trail: every event with its actor ──
    const stream = seen(await http.get(`/api/streams/order-${ids.o1}`, auditor));
    expect(stream.events.map((e: any) => e.type)).toEqual([
      'OrderPlaced',
      'OrderPutOnCreditHold',
      'CreditHoldReleased',
      'GoodsDelivered',
      'GoodsDelivered',
      'InvoiceIssued',
      'ReturnRequested',
      'ReturnRequested',
      'ReturnRefused',
      'ReturnAccepted',
      'ReturnedGoodsReceived',
      'CreditNoteIssued',
    ]);
    expect(stream.events[2].metadata.actor).toBe('fiona');
    const account = seen(await http.get(`/api/streams/account-${ids.customer}`, auditor));
    expect(account.events.map((e: any) => e.type)).toEqual([
      'DepositReceived',
      'CreditReservationRefused',
      'CreditReserved', // forced by the release
      'InvoicePosted',
      'PaymentAllocated', // the deposit, consumed by the invoice
      'CreditReserved', // the 5 returned widgets, reopened for delivery
      'CreditNotePosted',
      'PaymentReceived',
      'PaymentAllocated',
      'CreditReserved', // order 2
      'InvoicePosted',
      'PaymentRefused',
    ]);
  });

  describe('dodging the credit check and the price floor', () => {
    let customer: string;
    let product: string;
    beforeAll(async () => {
      const { http } = app;
      customer = seen(
        await http.post(
          '/api/customers',
          { name: 'Tight', customerGroup: 'retail', territory: 'south', ownerId: 'anna', creditLimit: 10_000, paymentTermsDays: 14 },
          finance,
        ),
      ).id;
      product = seen(
        await http.post('/api/products', { sku: 'TOOL-9', name: 'Tool', unit: 'pcs', listPrice: 1_000, standardCost: 700 }, manager),
      ).id;
    });

    it('serialises concurrent orders racing for the same credit: never more confirmed than the limit allows', async () => {
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          app.http.post('/api/orders', { customerId: customer, lines: [{ productId: product, quantity: 3 }] }, anna),
        ),
      );
      expect(answers.every((a) => a.status === 201)).toBe(true);
      const confirmed = answers.filter((a) => a.body.status !== 'on_credit_hold');
      // 3 × 1_000 = 3_000 each; the limit 10_000 admits three.
      expect(confirmed).toHaveLength(3);
    });

    it('holds a blocked customer, and splitting an order does not help', async () => {
      const { http } = app;
      seen(await http.post(`/api/customers/${customer}/block`, { reason: 'collections' }, finance));
      const small = await http.post('/api/orders', { customerId: customer, lines: [{ productId: product, quantity: 1 }] }, anna);
      expect(small.body.status).toBe('on_credit_hold');
      seen(await http.post(`/api/customers/${customer}/unblock`, { reason: 'paid' }, finance));
    });

    it("holds a salesperson's price below the floor for a manager, and counts the attempt against them", async () => {
      const { http } = app;
      const cheap = seen(
        await http.post('/api/orders', { customerId: ids.customer, lines: [{ productId: product, quantity: 1, unitPrice: 900 }] }, anna),
        [201],
      );
      expect(cheap.status).toBe('awaiting_price_approval');
      const doc = seen(await http.get(`/api/orders/${cheap.id}?minPosition=${cheap.position}`, manager));
      const override = doc.overrides[0];
      expect(override).toMatchObject({ status: 'pending', requestedBy: 'anna', requestedUnitPrice: 900, resolvedUnitPrice: 1_000 });
      // Cannot deliver while the price waits.
      const early = await http.post(
        `/api/orders/${cheap.id}/deliveries`,
        { billOfLading: 'BOL-CHEAP', carrier: 'DHL', lines: [{ lineId: 'L1', quantity: 1 }] },
        manager,
      );
      expect(early.body.code).toBe('OrderAwaitingPriceApproval');
      // The salesperson cannot approve their own price.
      expect((await http.post(`/api/price-overrides/${override.overrideId}/approve`, { reason: 'me' }, anna)).status).toBe(403);
      seen(await http.post(`/api/price-overrides/${override.overrideId}/approve`, { reason: 'strategic account' }, manager));
      const after = seen(await http.get(`/api/orders/${cheap.id}?minPosition=${written.last}`, manager));
      expect(after.status).toBe('to_deliver_and_bill');
      // Below standard cost (700) even a manager cannot approve.
      const belowCost = seen(
        await http.post(
          '/api/orders',
          { customerId: ids.customer, lines: [{ productId: product, quantity: 1, unitPrice: 500, overrideReason: 'clearance' }] },
          anna,
        ),
        [201],
      );
      const belowDoc = seen(await http.get(`/api/orders/${belowCost.id}?minPosition=${belowCost.position}`, manager));
      expect(belowDoc.overrides[0].belowCost).toBe(true);
      const denied = await http.post(`/api/price-overrides/${belowDoc.overrides[0].overrideId}/approve`, { reason: 'ok' }, manager);
      expect(denied.status).toBe(403);
      seen(await http.post(`/api/price-overrides/${belowDoc.overrides[0].overrideId}/reject`, { reason: 'below cost' }, manager));
      const repriced = seen(await http.get(`/api/orders/${belowCost.id}?minPosition=${written.last}`, manager));
      expect(repriced.lines[0].unitPrice).toBe(1_000);
    });

    it('answers bad and malicious bodies with 400s naming the field, never a 500', async () => {
      const { http } = app;
      const cases: Array<[string, unknown, string]> = [
        ['/api/orders', { customerId: customer, lines: [] }, 'lines'],
        ['/api/orders', { customerId: customer, lines: [{ productId: product, quantity: -1 }] }, 'lines.0.quantity'],
        ['/api/orders', { customerId: customer, lines: [{ productId: product, quantity: 1.5 }] }, 'lines.0.quantity'],
        ['/api/orders', { customerId: '../../etc', lines: [{ productId: product, quantity: 1 }] }, 'customerId'],
        ['/api/orders', { customerId: customer, lines: [{ productId: product, quantity: 1, unitPrice: 1e300 }] }, 'lines.0.unitPrice'],
        ['/api/orders', { customerId: customer, orderDate: '2026-13-01', lines: [{ productId: product, quantity: 1 }] }, 'orderDate'],
        ['/api/orders', { customerId: customer, lines: [{ productId: product, quantity: 1 }], status: 'confirmed' }, 'status'],
        ['/api/returns', { orderId: ids.o1, reason: '', lines: [{ lineId: 'line-1', quantity: 1 }] }, 'reason'],
        [`/api/customers/${customer}/payments`, { amount: 0 }, 'amount'],
        [`/api/customers/${customer}/payments`, { amount: 100, allocations: [{ invoiceId: 'x', amount: -5 }] }, 'allocations.0.amount'],
        [`/api/orders/${ids.o1}/deliveries`, { carrier: 'DHL', lines: [{ lineId: 'line-1', quantity: 1 }] }, 'billOfLading'],
      ];
      for (const [path, body, field] of cases) {
        const res = await http.post(path, body, ADMIN_TOKEN);
        expect([path, res.status]).toEqual([path, 400]);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect((await http.post('/api/orders', { customerId: 'nobody', lines: [{ productId: product, quantity: 1 }] }, anna)).status).toBe(
        404,
      );
      expect((await http.post('/api/orders', { customerId: customer, lines: [{ productId: 'nothing', quantity: 1 }] }, anna)).status).toBe(
        404,
      );
      expect((await http.post('/api/returns/nope/accept', {}, manager)).status).toBe(404);
      expect((await http.post('/api/price-overrides/nope/approve', { reason: 'x' }, manager)).status).toBe(404);
      expect((await http.post('/api/invoices/nope/refusals', { reason: 'x' }, finance)).status).toBe(404);
      expect((await http.post('/api/orders/nope/invoices', {}, finance)).status).toBe(404);
    });
  });
});

describe('Quote-to-cash OpenAPI document', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startInProcessApp();
  });
  afterAll(() => app.close());

  it('documents every quote-to-cash path with its body and its errors', async () => {
    const doc = (await app.http.get('/docs-json')).body;
    const posts = [
      '/api/products',
      '/api/price-lists',
      '/api/quotes',
      '/api/quotes/{id}/accept',
      '/api/quotes/{id}/reject',
      '/api/quotes/{id}/convert',
      '/api/orders',
      '/api/orders/{id}/release-credit-hold',
      '/api/orders/{id}/deliveries',
      '/api/orders/{id}/invoices',
      '/api/price-overrides/{id}/approve',
      '/api/price-overrides/{id}/reject',
      '/api/returns',
      '/api/returns/{id}/accept',
      '/api/returns/{id}/refuse',
      '/api/returns/{id}/receive',
      '/api/customers/{customerId}/deposits',
      '/api/customers/{customerId}/payments',
      '/api/invoices/{invoiceId}/refusals',
    ];
    for (const path of posts) {
      const op = doc.paths[path]?.post;
      expect([path, op !== undefined]).toEqual([path, true]);
      const statuses = Object.keys(op.responses);
      expect([path, statuses.some((s) => s.startsWith('4'))]).toEqual([path, true]);
    }
    for (const path of ['/api/orders', '/api/orders/{id}', '/api/receivables', '/api/receivables/{customerId}']) {
      expect([path, doc.paths[path]?.get !== undefined]).toEqual([path, true]);
    }
    const bodyOf = (path: string) => doc.paths[path].post.requestBody?.content?.['application/json']?.schema?.$ref;
    for (const path of [
      '/api/orders',
      '/api/orders/{id}/deliveries',
      '/api/returns',
      '/api/customers/{customerId}/payments',
      '/api/products',
      '/api/quotes',
    ]) {
      expect([path, typeof bodyOf(path)]).toEqual([path, 'string']);
    }
  });
});
