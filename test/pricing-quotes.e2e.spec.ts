import { EVENT_STORE, EventStore } from '@salesline/core';
import { addDays } from '@salesline/shared-kernel';
import { RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

const today = () => new Date().toISOString().slice(0, 10);

describe('Pricing and quotes over HTTP (embedded SQLite)', () => {
  let running: RunningApp;
  let manager: string;
  let salesperson: string;
  let finance: string;
  let auditor: string;
  let integration: string;
  let wholesaleCustomer: string;
  let retailCustomer: string;
  let skuCounter = 0;

  const post = (path: string, body: unknown, token: string, headers?: Record<string, string>) =>
    running.http.post(path, body, token, headers);
  const get = (path: string, token: string) => running.http.get(path, token);
  const streamOf = (stream: string) => get(`/api/streams/${stream}`, auditor);
  /** The distinct fields a 400 names (one field may fail several constraints). */
  const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => [...new Set((res.body.errors ?? []).map((e) => e.field))];

  const nextSku = () => `SKU-${++skuCounter}-${Date.now()}`;
  const productBody = (over: Record<string, unknown> = {}) => ({
    sku: nextSku(),
    name: 'Widget',
    unit: 'pcs',
    listPrice: 10_00,
    standardCost: 6_00,
    ...over,
  });
  const createProduct = async (over: Record<string, unknown> = {}): Promise<string> => {
    const res = await post('/api/products', productBody(over), manager);
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const registerCustomer = async (customerGroup: string): Promise<string> => {
    const res = await post(
      '/api/customers',
      {
        name: `Customer ${customerGroup}`,
        customerGroup,
        territory: 'north',
        ownerId: 'sam',
        creditLimit: 10_000_000,
        paymentTermsDays: 30,
      },
      finance,
    );
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const priceListBody = (
    scope: Record<string, string>,
    productId: string,
    breaks: { minQuantity: number; unitPrice: number }[],
    over: Record<string, unknown> = {},
  ) => ({
    name: 'List',
    scope,
    validFrom: addDays(today(), -100),
    validTo: null,
    items: [{ productId, breaks }],
    ...over,
  });
  const createPriceList = async (...args: Parameters<typeof priceListBody>): Promise<string> => {
    const res = await post('/api/price-lists', priceListBody(...args), manager);
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const priceOf = (customerId: string, productId: string, quantity = 1, date?: string) =>
    get(`/api/prices?customerId=${customerId}&productId=${productId}&quantity=${quantity}${date ? `&date=${date}` : ''}`, salesperson);
  const readQuote = (id: string, position: number) => get(`/api/quotes/${id}?minPosition=${position}`, salesperson);
  const issueQuote = async (body: Record<string, unknown>, token = salesperson) => {
    const res = await post('/api/quotes', { customerId: wholesaleCustomer, ...body }, token);
    expect(res.status).toBe(201);
    return res.body as { id: string; position: number };
  };

  beforeAll(async () => {
    running = await startInProcessApp();
    manager = await tokenFor(running.http, 'mia', 'sales_manager');
    salesperson = await tokenFor(running.http, 'sam', 'salesperson');
    finance = await tokenFor(running.http, 'fiona', 'finance');
    auditor = await tokenFor(running.http, 'audrey', 'auditor');
    integration = await tokenFor(running.http, 'robot', 'integration');
    wholesaleCustomer = await registerCustomer('wholesale');
    retailCustomer = await registerCustomer('retail');
  });
  afterAll(() => running.close());

  describe('products', () => {
    it('registers a product, reads it back at the returned position and finds it by SKU', async () => {
      const body = productBody();
      const created = await post('/api/products', body, manager);
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(String), position: expect.any(Number) });
      const read = await get(`/api/products/${created.body.id}?minPosition=${created.body.position}`, salesperson);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: created.body.id, ...body, status: 'active', registeredOn: today() });
      const list = await get(`/api/products?sku=${body.sku}&minPosition=${created.body.position}`, salesperson);
      expect(list.body).toMatchObject({ total: 1, items: [{ id: created.body.id }] });
    });

    it('refuses a SKU another product holds: 409 SkuAlreadyRegistered', async () => {
      const body = productBody();
      const first = await post('/api/products', body, manager);
      expect(first.status).toBe(201);
      const second = await post('/api/products', { ...body, name: 'Another widget' }, manager);
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('SkuAlreadyRegistered');
      expect((await streamOf(`product-sku-${body.sku}`)).body.events).toHaveLength(1);
    });

    it('lets concurrent registrations of one SKU produce exactly one product', async () => {
      const sku = nextSku();
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => post('/api/products', productBody({ sku, name: `racer ${i}` }), manager)),
      );
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      for (const a of answers.filter((x) => x.status !== 201)) expect(a.body.code).toBe('SkuAlreadyRegistered');
    });

    it('honours the Idempotency-Key: same key and body → same answer, nothing appended; another body → 422 and no SKU taken', async () => {
      const headers = { 'idempotency-key': `product-${nextSku()}` };
      const body = productBody();
      const first = await post('/api/products', body, manager, headers);
      const second = await post('/api/products', body, manager, headers);
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect((await streamOf(`product-${first.body.id}`)).body.events).toHaveLength(1);
      expect((await streamOf(`product-sku-${body.sku}`)).body.events).toHaveLength(1);
      const other = productBody();
      const reused = await post('/api/products', other, manager, headers);
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('IdempotencyKeyReused');
      expect((await streamOf(`product-sku-${other.sku}`)).status).toBe(404);
    });

    it('names each invalid field with 400, and never appends', async () => {
      const res = await post(
        '/api/products',
        { sku: 'bad sku', name: ' ', unit: 'pcs', listPrice: 10.5, standardCost: 0, extra: 1 },
        manager,
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('ValidationFailed');
      expect(fieldsOf(res)).toEqual(expect.arrayContaining(['sku', 'name', 'listPrice', 'standardCost', 'extra']));
      expect((await post('/api/products', {}, manager)).status).toBe(400);
      expect(fieldsOf(await post('/api/products', productBody({ listPrice: Number.MAX_SAFE_INTEGER + 2 }), manager))).toEqual([
        'listPrice',
      ]);
      expect(fieldsOf(await post(`/api/products/${await createProduct()}/price`, { listPrice: '12' }, manager))).toEqual(['listPrice']);
    });

    it('answers 404 ProductNotFound for an unknown product and 400 for an id that is not an id', async () => {
      expect((await get('/api/products/nope', salesperson)).body).toMatchObject({ code: 'ProductNotFound' });
      expect((await get('/api/products/nope', salesperson)).status).toBe(404);
      const change = await post('/api/products/nope/price', { listPrice: 5 }, manager);
      expect(change.status).toBe(404);
      expect(change.body.code).toBe('ProductNotFound');
      expect((await get('/api/products/bad%20id', salesperson)).status).toBe(400);
    });

    it('keeps the catalogue with sales managers (cost also finance): 403 otherwise', async () => {
      const denied = await post('/api/products', productBody(), salesperson);
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('RoleRequired');
      const id = await createProduct();
      expect((await post(`/api/products/${id}/price`, { listPrice: 11_00 }, salesperson)).status).toBe(403);
      expect((await post(`/api/products/${id}/cost`, { standardCost: 7_00 }, salesperson)).status).toBe(403);
      expect((await post(`/api/products/${id}/cost`, { standardCost: 7_00 }, finance)).status).toBe(200);
    });

    it('changes the list price and cost, discontinues, and then refuses repricing', async () => {
      const id = await createProduct();
      expect((await post(`/api/products/${id}/price`, { listPrice: 12_00 }, manager)).status).toBe(200);
      expect((await post(`/api/products/${id}/cost`, { standardCost: 7_00 }, manager)).status).toBe(200);
      const discontinued = await post(`/api/products/${id}/discontinue`, { reason: 'end of life' }, manager);
      expect(discontinued.status).toBe(200);
      const read = await get(`/api/products/${id}?minPosition=${discontinued.body.position}`, salesperson);
      expect(read.body).toMatchObject({
        listPrice: 12_00,
        standardCost: 7_00,
        status: 'discontinued',
        discontinuedReason: 'end of life',
        discontinuedOn: today(),
      });
      const again = await post(`/api/products/${id}/price`, { listPrice: 13_00 }, manager);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('ProductDiscontinued');
      const list = await get(`/api/products?status=discontinued&minPosition=${discontinued.body.position}`, salesperson);
      expect(list.body.items.map((p: { id: string }) => p.id)).toContain(id);
    });
  });

  describe('price lists and price resolution', () => {
    it('creates a group list with quantity breaks and reads it back', async () => {
      const productId = await createProduct();
      const body = priceListBody({ kind: 'group', customerGroup: 'wholesale' }, productId, [
        { minQuantity: 1, unitPrice: 9_00 },
        { minQuantity: 10, unitPrice: 8_00 },
      ]);
      const created = await post('/api/price-lists', body, manager);
      expect(created.status).toBe(201);
      const read = await get(`/api/price-lists/${created.body.id}?minPosition=${created.body.position}`, salesperson);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        id: created.body.id,
        status: 'active',
        scope: body.scope,
        validFrom: body.validFrom,
        validTo: null,
        closedOn: null,
        items: body.items,
      });
      const list = await get(`/api/price-lists?customerGroup=wholesale&minPosition=${created.body.position}`, salesperson);
      expect(list.body.items.map((l: { id: string }) => l.id)).toContain(created.body.id);
      expect((await get('/api/price-lists/nope', salesperson)).body.code).toBe('PriceListNotFound');
    });

    it('resolves customer list → group list → list price, with the highest break not above the quantity', async () => {
      const productId = await createProduct({ listPrice: 10_00 });
      const listPrice = await priceOf(wholesaleCustomer, productId, 5);
      expect(listPrice.status).toBe(200);
      expect(listPrice.body).toMatchObject({
        customerId: wholesaleCustomer,
        customerGroup: 'wholesale',
        productId,
        quantity: 5,
        date: today(),
        unitPrice: 10_00,
        source: { kind: 'list' },
      });

      const groupList = await createPriceList({ kind: 'group', customerGroup: 'wholesale' }, productId, [
        { minQuantity: 1, unitPrice: 9_00 },
        { minQuantity: 10, unitPrice: 8_00 },
      ]);
      // No minPosition needed: a price is resolved after the price lists caught up.
      expect((await priceOf(wholesaleCustomer, productId, 9)).body).toMatchObject({
        unitPrice: 9_00,
        source: { kind: 'group', priceListId: groupList, minQuantity: 1 },
      });
      expect((await priceOf(wholesaleCustomer, productId, 10)).body).toMatchObject({
        unitPrice: 8_00,
        source: { kind: 'group', priceListId: groupList, minQuantity: 10 },
      });
      expect((await priceOf(retailCustomer, productId, 10)).body).toMatchObject({ unitPrice: 10_00, source: { kind: 'list' } });

      // A customer list that only holds a bulk break wins from its break on, and falls through below it.
      const customerList = await createPriceList({ kind: 'customer', customerId: wholesaleCustomer }, productId, [
        { minQuantity: 50, unitPrice: 7_00 },
      ]);
      expect((await priceOf(wholesaleCustomer, productId, 50)).body).toMatchObject({
        unitPrice: 7_00,
        source: { kind: 'customer', priceListId: customerList, minQuantity: 50 },
      });
      expect((await priceOf(wholesaleCustomer, productId, 49)).body).toMatchObject({ unitPrice: 8_00, source: { kind: 'group' } });
    });

    it('honours validity, closing (from closedOn on) and item changes', async () => {
      const productId = await createProduct({ listPrice: 10_00 });
      const from = addDays(today(), -10);
      const to = addDays(today(), 10);
      const listId = await createPriceList(
        { kind: 'customer', customerId: retailCustomer },
        productId,
        [{ minQuantity: 1, unitPrice: 9_50 }],
        { validFrom: from, validTo: to },
      );
      expect((await priceOf(retailCustomer, productId, 1, addDays(from, -1))).body.source).toEqual({ kind: 'list' });
      expect((await priceOf(retailCustomer, productId, 1, to)).body.unitPrice).toBe(9_50);
      expect((await priceOf(retailCustomer, productId, 1, addDays(to, 1))).body.source).toEqual({ kind: 'list' });

      const changed = await post(
        `/api/price-lists/${listId}/items`,
        { items: [{ productId, breaks: [{ minQuantity: 1, unitPrice: 9_25 }] }] },
        manager,
      );
      expect(changed.status).toBe(200);
      expect((await priceOf(retailCustomer, productId)).body.unitPrice).toBe(9_25);

      const closed = await post(`/api/price-lists/${listId}/close`, { reason: 'superseded' }, manager);
      expect(closed.status).toBe(200);
      expect((await priceOf(retailCustomer, productId)).body.source).toEqual({ kind: 'list' });
      expect((await priceOf(retailCustomer, productId, 1, addDays(today(), -1))).body.unitPrice).toBe(9_25);
      const read = await get(`/api/price-lists/${listId}?minPosition=${closed.body.position}`, manager);
      expect(read.body).toMatchObject({ status: 'closed', closedOn: today(), closedReason: 'superseded' });
      const late = await post(
        `/api/price-lists/${listId}/items`,
        { items: [{ productId, breaks: [{ minQuantity: 1, unitPrice: 1 }] }] },
        manager,
      );
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('PriceListClosed');
    });

    it('refuses bad price lists: 400 naming nested fields, 422 for the rules, 403 for salespeople', async () => {
      const productId = await createProduct();
      const nested = await post(
        '/api/price-lists',
        priceListBody({ kind: 'group', customerGroup: 'wholesale' }, productId, [{ minQuantity: 0, unitPrice: 1.5 }], {
          validFrom: '2026-02-31',
        }),
        manager,
      );
      expect(nested.status).toBe(400);
      expect(fieldsOf(nested)).toEqual(expect.arrayContaining(['items.0.breaks.0.minQuantity', 'items.0.breaks.0.unitPrice', 'validFrom']));
      const scope = await post(
        '/api/price-lists',
        priceListBody({ kind: 'customer' }, productId, [{ minQuantity: 1, unitPrice: 1 }]),
        manager,
      );
      expect(fieldsOf(scope)).toEqual(['scope.customerId']);
      const empty = await post(
        '/api/price-lists',
        { ...priceListBody({ kind: 'group', customerGroup: 'x' }, productId, []), items: [] },
        manager,
      );
      expect(fieldsOf(empty)).toEqual(['items']);
      const decreasing = await post(
        '/api/price-lists',
        priceListBody({ kind: 'group', customerGroup: 'wholesale' }, productId, [
          { minQuantity: 10, unitPrice: 8_00 },
          { minQuantity: 5, unitPrice: 9_00 },
        ]),
        manager,
      );
      expect(decreasing.status).toBe(422);
      expect(decreasing.body.code).toBe('InvalidPriceBreaks');
      const backwards = await post(
        '/api/price-lists',
        priceListBody({ kind: 'group', customerGroup: 'wholesale' }, productId, [{ minQuantity: 1, unitPrice: 1 }], {
          validFrom: today(),
          validTo: addDays(today(), -1),
        }),
        manager,
      );
      expect(backwards.status).toBe(422);
      expect(backwards.body.code).toBe('InvalidValidityPeriod');
      expect(
        (
          await post(
            '/api/price-lists',
            priceListBody({ kind: 'group', customerGroup: 'w' }, productId, [{ minQuantity: 1, unitPrice: 1 }]),
            salesperson,
          )
        ).status,
      ).toBe(403);
      expect((await post('/api/price-lists/nope/close', {}, manager)).body.code).toBe('PriceListNotFound');
    });

    it('honours the Idempotency-Key on price list creation', async () => {
      const productId = await createProduct();
      const headers = { 'idempotency-key': `price-list-${nextSku()}` };
      const body = priceListBody({ kind: 'group', customerGroup: 'wholesale' }, productId, [{ minQuantity: 1, unitPrice: 9_00 }]);
      const first = await post('/api/price-lists', body, manager, headers);
      const second = await post('/api/price-lists', body, manager, headers);
      expect(first.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect((await streamOf(`price-list-${first.body.id}`)).body.events).toHaveLength(1);
      const reused = await post('/api/price-lists', { ...body, name: 'Other' }, manager, headers);
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('IdempotencyKeyReused');
    });

    it('answers bad price queries with 400 and unknown customers or products with 404', async () => {
      const productId = await createProduct();
      expect(fieldsOf(await get(`/api/prices?customerId=${wholesaleCustomer}&productId=${productId}&quantity=0`, salesperson))).toEqual([
        'quantity',
      ]);
      expect(fieldsOf(await get(`/api/prices?productId=${productId}`, salesperson))).toEqual(['customerId']);
      expect(
        fieldsOf(await get(`/api/prices?customerId=${wholesaleCustomer}&productId=${productId}&date=2026-13-01`, salesperson)),
      ).toContain('date');
      expect((await priceOf('nobody', productId)).body.code).toBe('CustomerNotFound');
      const unknownProduct = await priceOf(wholesaleCustomer, 'no-such-product');
      expect(unknownProduct.status).toBe(404);
      expect(unknownProduct.body.code).toBe('ProductNotFound');
    });
  });

  describe('quotes', () => {
    let productId: string;
    let groupListId: string;

    beforeAll(async () => {
      productId = await createProduct({ listPrice: 10_00, standardCost: 6_00 });
      groupListId = await createPriceList({ kind: 'group', customerGroup: 'wholesale' }, productId, [
        { minQuantity: 1, unitPrice: 9_00 },
        { minQuantity: 10, unitPrice: 8_00 },
      ]);
    });

    it('issues a quote priced through the price book, valid for 30 days by default', async () => {
      const { id, position } = await issueQuote({
        lines: [
          { productId, quantity: 10 },
          { lineId: 'small', productId, quantity: 2 },
        ],
      });
      const read = await readQuote(id, position);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        id,
        status: 'open',
        customerId: wholesaleCustomer,
        salespersonId: 'sam',
        quoteDate: today(),
        validUntil: addDays(today(), 30),
        revision: 1,
        total: 10 * 8_00 + 2 * 9_00,
        pendingOverrideCount: 0,
        lines: [
          {
            lineId: 'L1',
            productId,
            quantity: 10,
            unitPrice: 8_00,
            resolvedUnitPrice: 8_00,
            unitCost: 6_00,
            priceSource: { kind: 'group', priceListId: groupListId, minQuantity: 10 },
          },
          { lineId: 'small', quantity: 2, unitPrice: 9_00 },
        ],
      });
      const list = await get(`/api/quotes?customerId=${wholesaleCustomer}&salespersonId=sam&status=open&minPosition=${position}`, manager);
      expect(list.body.items.map((q: { id: string }) => q.id)).toContain(id);
    });

    it('honours the Idempotency-Key on issue', async () => {
      const headers = { 'idempotency-key': `quote-${nextSku()}` };
      const body = { customerId: wholesaleCustomer, lines: [{ productId, quantity: 1 }] };
      const first = await post('/api/quotes', body, salesperson, headers);
      const second = await post('/api/quotes', body, salesperson, headers);
      expect(first.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect((await streamOf(`quote-${first.body.id}`)).body.events).toHaveLength(1);
      const reused = await post('/api/quotes', { ...body, lines: [{ productId, quantity: 2 }] }, salesperson, headers);
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('IdempotencyKeyReused');
    });

    it('revises (a new revision priced today), accepts, and rejects', async () => {
      const quote = await issueQuote({ lines: [{ productId, quantity: 1 }] });
      const revised = await post(`/api/quotes/${quote.id}/revise`, { lines: [{ productId, quantity: 12 }] }, salesperson);
      expect(revised.status).toBe(200);
      let read = await readQuote(quote.id, revised.body.position);
      expect(read.body).toMatchObject({ revision: 2, lines: [{ quantity: 12, unitPrice: 8_00 }] });
      expect(read.body.revisions).toHaveLength(2);
      const accepted = await post(`/api/quotes/${quote.id}/accept`, {}, salesperson);
      expect(accepted.status).toBe(200);
      expect((await readQuote(quote.id, accepted.body.position)).body.status).toBe('accepted');

      const other = await issueQuote({ lines: [{ productId, quantity: 1 }] });
      expect(fieldsOf(await post(`/api/quotes/${other.id}/reject`, {}, salesperson))).toEqual(['reason']);
      const rejected = await post(`/api/quotes/${other.id}/reject`, { reason: 'went elsewhere' }, salesperson);
      expect(rejected.status).toBe(200);
      read = await readQuote(other.id, rejected.body.position);
      expect(read.body).toMatchObject({ status: 'rejected', rejectionReason: 'went elsewhere' });
      const reviseRejected = await post(`/api/quotes/${other.id}/revise`, { lines: [{ productId, quantity: 1 }] }, salesperson);
      expect(reviseRejected.status).toBe(409);
      expect(reviseRejected.body.code).toBe('QuoteClosed');
      expect((await post('/api/quotes/nope/accept', {}, salesperson)).body.code).toBe('QuoteNotFound');
    });

    it("records a salesperson's price below the floor as a pending override that a manager approves", async () => {
      const quote = await issueQuote({ lines: [{ productId, quantity: 1, unitPrice: 8_50, overrideReason: 'loyal customer' }] });
      let read = await readQuote(quote.id, quote.position);
      const overrideId = `${quote.id}-r1-L1`; // quote lines are numbered L1, L2, … as order lines are (ADR 0113)
      expect(read.body).toMatchObject({
        pendingOverrideCount: 1,
        overrides: [{ overrideId, status: 'pending', resolvedUnitPrice: 9_00, requestedUnitPrice: 8_50 }],
      });
      const blocked = await post(`/api/quotes/${quote.id}/accept`, {}, salesperson);
      expect(blocked.status).toBe(409);
      expect(blocked.body.code).toBe('QuotePriceApprovalPending');
      expect((await post(`/api/quotes/${quote.id}/price-overrides/${overrideId}/approve`, { reason: 'ok' }, salesperson)).status).toBe(403);
      expect(fieldsOf(await post(`/api/quotes/${quote.id}/price-overrides/${overrideId}/approve`, {}, manager))).toEqual(['reason']);
      const approved = await post(
        `/api/quotes/${quote.id}/price-overrides/${overrideId}/approve`,
        { reason: 'strategic account' },
        manager,
      );
      expect(approved.status).toBe(200);
      read = await readQuote(quote.id, approved.body.position);
      expect(read.body).toMatchObject({
        pendingOverrideCount: 0,
        overrides: [{ overrideId, status: 'approved', approvedBy: 'mia' }],
        lines: [{ unitPrice: 8_50 }],
      });
      expect((await post(`/api/quotes/${quote.id}/accept`, {}, salesperson)).status).toBe(200);
      const again = await post(`/api/quotes/${quote.id}/price-overrides/${overrideId}/approve`, { reason: 'again' }, manager);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('PriceOverrideNotPending');
      expect((await post(`/api/quotes/${quote.id}/price-overrides/unknown/approve`, { reason: 'x' }, manager)).body.code).toBe(
        'PriceOverrideNotFound',
      );
    });

    it('reprices a line to the resolved price when the manager rejects its override; a manager may discount within 10 %', async () => {
      const quote = await issueQuote({ lines: [{ productId, quantity: 1, unitPrice: 8_00 }] });
      const overrideId = `${quote.id}-r1-line-1`;
      const rejected = await post(`/api/quotes/${quote.id}/price-overrides/${overrideId}/reject`, { reason: 'too low' }, manager);
      expect(rejected.status).toBe(200);
      const read = await readQuote(quote.id, rejected.body.position);
      expect(read.body).toMatchObject({ overrides: [{ status: 'rejected' }], lines: [{ unitPrice: 9_00 }], pendingOverrideCount: 0 });

      const byManager = await issueQuote({ salespersonId: 'sam', lines: [{ productId, quantity: 1, unitPrice: 8_10 }] }, manager);
      expect((await readQuote(byManager.id, byManager.position)).body).toMatchObject({ salespersonId: 'sam', pendingOverrideCount: 0 });
    });

    it('expires open quotes past their validity in a sweep (managers and integrations only)', async () => {
      const stale = await issueQuote({ quoteDate: addDays(today(), -40), lines: [{ productId, quantity: 1 }] });
      const fresh = await issueQuote({ lines: [{ productId, quantity: 1 }] });
      expect((await post('/api/quotes/expire', {}, salesperson)).status).toBe(403);
      const sweep = await post('/api/quotes/expire', {}, integration);
      expect(sweep.status).toBe(200);
      expect(sweep.body.expired).toContain(stale.id);
      expect(sweep.body.expired).not.toContain(fresh.id);
      const stream = await streamOf(`quote-${stale.id}`);
      expect(stream.body.events.map((e: { type: string }) => e.type)).toEqual(['QuoteIssued', 'QuoteExpired']);
      const read = await readQuote(stale.id, stream.body.events[1].position);
      expect(read.body).toMatchObject({ status: 'expired', validUntil: addDays(today(), -10) });
      const late = await post(`/api/quotes/${stale.id}/accept`, {}, salesperson);
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('QuoteExpired');
      expect((await post('/api/quotes/expire', {}, manager)).body.expired).not.toContain(stale.id);
      // Revising reopens it.
      const revised = await post(`/api/quotes/${stale.id}/revise`, { lines: [{ productId, quantity: 1 }] }, salesperson);
      expect((await readQuote(stale.id, revised.body.position)).body).toMatchObject({ status: 'open', validUntil: addDays(today(), 30) });
    });

    it('refuses bad quotes: 400 naming fields, 404 for unknown customers and products, 409 for discontinued products, 403 for others', async () => {
      const bad = await post(
        '/api/quotes',
        { customerId: wholesaleCustomer, lines: [{ productId, quantity: 0, unitPrice: -1 }], validUntil: '2026-02-30' },
        salesperson,
      );
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['lines.0.quantity', 'lines.0.unitPrice', 'validUntil']));
      expect(fieldsOf(await post('/api/quotes', { customerId: wholesaleCustomer, lines: [] }, salesperson))).toEqual(['lines']);
      expect(
        fieldsOf(
          await post(
            '/api/quotes',
            { customerId: wholesaleCustomer, quoteDate: addDays(today(), 1), lines: [{ productId, quantity: 1 }] },
            salesperson,
          ),
        ),
      ).toEqual(['quoteDate']);
      const noCustomer = await post('/api/quotes', { customerId: 'nobody', lines: [{ productId, quantity: 1 }] }, salesperson);
      expect(noCustomer.status).toBe(404);
      expect(noCustomer.body.code).toBe('CustomerNotFound');
      const noProduct = await post(
        '/api/quotes',
        { customerId: wholesaleCustomer, lines: [{ productId: 'nothing', quantity: 1 }] },
        salesperson,
      );
      expect(noProduct.status).toBe(404);
      expect(noProduct.body.code).toBe('ProductNotFound');
      const gone = await createProduct();
      await post(`/api/products/${gone}/discontinue`, {}, manager);
      const discontinued = await post(
        '/api/quotes',
        { customerId: wholesaleCustomer, lines: [{ productId: gone, quantity: 1 }] },
        salesperson,
      );
      expect(discontinued.status).toBe(409);
      expect(discontinued.body.code).toBe('ProductDiscontinued');
      const duplicate = await post(
        '/api/quotes',
        {
          customerId: wholesaleCustomer,
          lines: [
            { lineId: 'a', productId, quantity: 1 },
            { lineId: 'a', productId, quantity: 2 },
          ],
        },
        salesperson,
      );
      expect(duplicate.status).toBe(422);
      expect(duplicate.body.code).toBe('DuplicateLineId');
      const forColleague = await post(
        '/api/quotes',
        { customerId: wholesaleCustomer, salespersonId: 'someone-else', lines: [{ productId, quantity: 1 }] },
        salesperson,
      );
      expect(forColleague.status).toBe(403);
      expect(forColleague.body.code).toBe('QuoteForAnotherSalespersonForbidden');
      expect((await post('/api/quotes', { customerId: wholesaleCustomer, lines: [{ productId, quantity: 1 }] }, finance)).status).toBe(403);
    });

    it('converts an accepted quote into an order carrying its approvals; a retry answers the same order', async () => {
      const quote = await issueQuote({ lines: [{ productId, quantity: 10, unitPrice: 7_90 }] });
      await post(`/api/quotes/${quote.id}/price-overrides/${quote.id}-r1-line-1/approve`, { reason: 'volume deal' }, manager);
      expect((await post(`/api/quotes/${quote.id}/accept`, {}, salesperson)).status).toBe(200);
      const converted = await post(`/api/quotes/${quote.id}/convert`, {}, salesperson);
      expect(converted.status).toBe(201);
      expect(converted.body).toEqual({
        id: quote.id,
        orderId: expect.any(String),
        position: expect.any(Number),
        status: 'to_deliver_and_bill',
      }); // issue 8: the created order's status
      const read = await readQuote(quote.id, converted.body.position);
      expect(read.body).toMatchObject({ status: 'converted', orderId: converted.body.orderId });
      const order = await streamOf(`order-${converted.body.orderId}`);
      expect(order.status).toBe(200);
      expect(order.body.events[0]).toMatchObject({
        type: 'OrderPlaced',
        data: {
          quoteId: quote.id,
          lines: [{ lineId: 'L1', unitPrice: 7_90, priceApproval: { overrideId: `${quote.id}-r1-L1`, approvedBy: 'mia' } }],
        },
      });
      const retry = await post(`/api/quotes/${quote.id}/convert`, {}, salesperson);
      expect(retry.status).toBe(201);
      expect(retry.body.orderId).toBe(converted.body.orderId);
      expect(
        (await streamOf(`order-${converted.body.orderId}`)).body.events.filter((e: { type: string }) => e.type === 'OrderPlaced'),
      ).toHaveLength(1);
    });
  });

  it('honours the Idempotency-Key on conversion: the same answer, one order', async () => {
    const productId = await createProduct();
    const quote = await issueQuote({ lines: [{ productId, quantity: 1 }] });
    const headers = { 'idempotency-key': `convert-${quote.id}` };
    const first = await post(`/api/quotes/${quote.id}/convert`, {}, salesperson, headers);
    const second = await post(`/api/quotes/${quote.id}/convert`, {}, salesperson, headers);
    expect(first.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect((await streamOf(`quote-${quote.id}`)).body.events.map((e: { type: string }) => e.type)).toEqual([
      'QuoteIssued',
      'QuoteConverted',
    ]);
    expect(
      (await streamOf(`order-${first.body.orderId}`)).body.events.filter((e: { type: string }) => e.type === 'OrderPlaced'),
    ).toHaveLength(1);
  });

  it('heals a conversion that stopped between the two appends: the retry places the recorded order', async () => {
    const productId = await createProduct();
    const quote = await issueQuote({ lines: [{ productId, quantity: 1 }] });
    const quoteEvents = await streamOf(`quote-${quote.id}`);
    // What a crash after QuoteConverted leaves behind: the quote names an order that was never placed.
    const orderId = 'order-left-behind';
    const events = running.app.get<EventStore>(EVENT_STORE);
    await events.append(
      `quote-${quote.id}`,
      [
        {
          type: 'QuoteConverted',
          data: { quoteId: quote.id, orderId, revision: 1, convertedOn: today() },
          metadata: { ...quoteEvents.body.events[0].metadata, idempotencyKey: undefined },
        },
      ],
      0,
    );
    const retry = await post(`/api/quotes/${quote.id}/convert`, {}, salesperson);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ id: quote.id, orderId });
    expect((await streamOf(`order-${orderId}`)).body.events[0]).toMatchObject({ type: 'OrderPlaced', data: { quoteId: quote.id } });
  });

  it('documents every pricing and quote route in OpenAPI', async () => {
    const openapi = await running.http.get('/docs-json');
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/products',
        '/api/products/{id}',
        '/api/products/{id}/price',
        '/api/products/{id}/cost',
        '/api/products/{id}/discontinue',
        '/api/price-lists',
        '/api/price-lists/{id}',
        '/api/price-lists/{id}/items',
        '/api/price-lists/{id}/close',
        '/api/prices',
        '/api/quotes',
        '/api/quotes/{id}',
        '/api/quotes/expire',
        '/api/quotes/{id}/revise',
        '/api/quotes/{id}/accept',
        '/api/quotes/{id}/reject',
        '/api/quotes/{id}/convert',
        '/api/quotes/{id}/price-overrides/{overrideId}/approve',
        '/api/quotes/{id}/price-overrides/{overrideId}/reject',
      ]),
    );
  });
});
