import { addDays } from '@salesline/shared-kernel';
import { ADMIN_TOKEN, RunningApp, startInProcessApp } from './support/in-process-app';
import { tokensFor, writes } from './support/scenario';

/**
 * Issue 8 / ADR 0112 over HTTP: the cost floor holds on every path. A price list below standard
 * cost needs an admin and a reason; a cost change flags published prices left below cost, and an
 * order or quote resolved from one is held for approval; a zero price needs a free-of-charge reason.
 */
describe('The cost floor on price lists, orders and quotes', () => {
  let app: RunningApp;
  let manager: string;
  let anna: string;
  let finance: string;
  const today = new Date().toISOString().slice(0, 10);
  const day = (n: number) => addDays(today, n - 20);
  const written = writes();
  const ok = written.ok;
  const refused = (res: { status: number; body: any }) => [res.status, res.body.code];
  let customer: string;
  let product: string;

  beforeAll(async () => {
    app = await startInProcessApp();
    ({ manager, anna, finance } = await tokensFor(app.http, 'manager', 'anna', 'finance'));
    customer = ok(
      await app.http.post(
        '/api/customers',
        { name: 'Floor AG', customerGroup: 'outlet', territory: 'west', ownerId: 'anna', creditLimit: 100_000_000, paymentTermsDays: 30 },
        finance,
      ),
    ).id;
    product = ok(
      await app.http.post('/api/products', { sku: 'FLR-1', name: 'Lamp', unit: 'pcs', listPrice: 1_000, standardCost: 600 }, manager),
    ).id;
  }, 60_000);
  afterAll(() => app.close());

  it('a price list below cost needs an admin and a reason; a later cost rise flags it and holds what is resolved from it', async () => {
    const { http } = app;
    const list = {
      name: 'Outlet',
      scope: { kind: 'group', customerGroup: 'outlet' },
      validFrom: day(0),
      validTo: null,
      items: [{ productId: product, breaks: [{ minQuantity: 1, unitPrice: 550 }] }],
    };
    expect(refused(await http.post('/api/price-lists', list, manager))).toEqual([403, 'PriceBelowCostForbidden']);
    expect(refused(await http.post('/api/price-lists', list, ADMIN_TOKEN))).toEqual([422, 'BelowCostReasonRequired']);
    const created = ok(
      await http.post(
        '/api/price-lists',
        { ...list, items: [{ ...list.items[0], belowCostReason: 'end-of-line clearance' }] },
        ADMIN_TOKEN,
      ),
      [201],
    );
    const stream = ok(await http.get(`/api/streams/price-list-${created.id}`, ADMIN_TOKEN));
    expect(stream.events.map((e: any) => e.type)).toEqual(['PriceListCreated', 'PriceListPriceBelowCostApproved']);
    expect(stream.events[1].data).toMatchObject({
      productId: product,
      lowestUnitPrice: 550,
      standardCost: 600,
      reason: 'end-of-line clearance',
      approvedOn: day(0),
    });

    // Approved at this cost: a salesperson sells at the list price without an override.
    const o1 = ok(
      await http.post('/api/orders', { customerId: customer, orderDate: day(1), lines: [{ productId: product, quantity: 2 }] }, anna),
      [201],
    );
    expect(o1.status).toBe('to_deliver_and_bill');
    let pl = ok(await http.get(`/api/price-lists/${created.id}?minPosition=${written.last}`, manager));
    expect(pl.belowCost).toEqual([
      expect.objectContaining({ productId: product, lowestUnitPrice: 550, standardCost: 600, flagged: false }),
    ]);

    // The cost rises to 650: the list's price is flagged, and an order or quote resolved from it waits for an admin.
    ok(await http.post(`/api/products/${product}/cost`, { standardCost: 650 }, finance));
    pl = ok(await http.get(`/api/price-lists/${created.id}`, manager));
    expect(pl.belowCost).toEqual([expect.objectContaining({ standardCost: 650, approvedAtCost: 600, flagged: true })]);
    const listed = ok(await http.get('/api/price-lists?customerGroup=outlet', manager));
    expect(listed.items[0].belowCost[0].flagged).toBe(true);
    const o2 = ok(
      await http.post('/api/orders', { customerId: customer, orderDate: day(2), lines: [{ productId: product, quantity: 2 }] }, anna),
      [201],
    );
    expect(o2.status).toBe('awaiting_price_approval');
    const board = ok(await http.get(`/api/orders/${o2.id}?minPosition=${written.last}`, manager));
    expect(board.pendingOverrides).toEqual([
      expect.objectContaining({ belowCost: true, discountBp: 0, requestedUnitPrice: 550, resolvedUnitPrice: 550 }),
    ]);
    // a sales manager may not approve a price below cost; an admin with a reason may
    const overrideId = board.pendingOverrides[0].overrideId;
    expect(refused(await http.post(`/api/price-overrides/${overrideId}/approve`, { reason: 'ok' }, manager))).toEqual([
      403,
      'PriceOverrideApprovalForbidden',
    ]);
    expect(ok(await http.post(`/api/price-overrides/${overrideId}/approve`, { reason: 'clearance continues' }, ADMIN_TOKEN)).status).toBe(
      'to_deliver_and_bill',
    );
    const quote = ok(
      await http.post('/api/quotes', { customerId: customer, quoteDate: day(2), lines: [{ productId: product, quantity: 1 }] }, anna),
      [201],
    );
    const q = ok(await http.get(`/api/quotes/${quote.id}?minPosition=${written.last}`, manager));
    expect(q.overrides).toEqual([expect.objectContaining({ belowCost: true, status: 'pending' })]);
    expect(quote.status).toBe('awaiting_price_approval');
    // one approval route for overrides on any document: the quote's override through /api/price-overrides
    const onQuote = ok(
      await http.post(
        `/api/price-overrides/${q.overrides[0].overrideId}/approve`,
        { reason: 'clearance continues', approvedOn: day(3) },
        ADMIN_TOKEN,
      ),
    );
    expect(onQuote).toMatchObject({ quoteId: quote.id, status: 'open' });
    const approvedQuote = ok(await http.get(`/api/quotes/${quote.id}?minPosition=${written.last}`, manager));
    expect(approvedQuote.overrides[0]).toMatchObject({
      status: 'approved',
      decidedBy: 'admin',
      decidedOn: day(3),
      decisionReason: 'clearance continues',
      requestedBy: 'anna',
      discountBp: 0,
    });
    expect((await http.post(`/api/price-overrides/${quote.id}-r9-line-1/approve`, { reason: 'x' }, ADMIN_TOKEN)).body.code).toBe(
      'PriceOverrideNotFound',
    );
  }, 60_000);

  it('a zero price needs a named free-of-charge reason, on a price list as on an order, and then the below-cost approval', async () => {
    const { http } = app;
    const zero = {
      name: 'Samples',
      scope: { kind: 'customer', customerId: customer },
      validFrom: day(3),
      validTo: null,
      items: [{ productId: product, breaks: [{ minQuantity: 1, unitPrice: 0 }] }],
    };
    expect(
      refused(await http.post('/api/price-lists', { ...zero, items: [{ ...zero.items[0], belowCostReason: 'samples' }] }, ADMIN_TOKEN)),
    ).toEqual([422, 'ZeroPriceNotFreeOfCharge']);
    expect(
      (await http.post('/api/price-lists', { ...zero, items: [{ ...zero.items[0], freeOfCharge: 'whim' }] }, ADMIN_TOKEN)).status,
    ).toBe(400);

    const line = { productId: product, quantity: 1, unitPrice: 0 };
    expect(refused(await http.post('/api/orders', { customerId: customer, orderDate: day(4), lines: [line] }, anna))).toEqual([
      422,
      'ZeroPriceNotFreeOfCharge',
    ]);
    const free = ok(
      await http.post('/api/orders', { customerId: customer, orderDate: day(4), lines: [{ ...line, freeOfCharge: 'sample' }] }, anna),
      [201],
    );
    expect(free.status).toBe('awaiting_price_approval');
    const o = ok(await http.get(`/api/orders/${free.id}?minPosition=${written.last}`, manager));
    expect(o.pendingOverrides).toEqual([expect.objectContaining({ belowCost: true, requestedUnitPrice: 0 })]);
    expect(refused(await http.post('/api/quotes', { customerId: customer, quoteDate: day(4), lines: [line] }, anna))).toEqual([
      422,
      'ZeroPriceNotFreeOfCharge',
    ]);
  }, 60_000);
});
