import { EVENT_STORE, EventStore } from '@salesline/core';
import { DocumentIndex, OrderEvent } from '@salesline/sales';
import { AccountEvent } from '@salesline/receivables';
import { RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

/**
 * The read-model endpoints over real HTTP, fed by events appended straight to the embedded
 * event store (the command side is exercised by its own e2e specs).
 */
describe('Order board, backlog and receivables read models over HTTP', () => {
  let running: RunningApp;
  let events: EventStore;
  let salesperson: string;
  let finance: string;
  let customerId: string;
  let position: number;

  const append = async (stream: string, list: (OrderEvent | AccountEvent)[]) => {
    const metadata = { actor: 'e2e', correlationId: 'e2e', causationId: null, occurredAt: new Date().toISOString(), schemaVersion: 1 };
    const result = await events.append(
      stream,
      list.map((e) => ({ type: e.type, data: e.data, metadata })),
      'any',
    );
    position = result.position;
  };
  const line = (lineId: string, productId: string, quantity: number, unitPrice: number, unitCost: number) => ({
    lineId,
    productId,
    quantity,
    unitPrice,
    listPrice: unitPrice,
    resolvedUnitPrice: unitPrice,
    priceSource: { kind: 'list' as const },
    unitCost,
    priceApproval: null,
  });

  beforeAll(async () => {
    running = await startInProcessApp();
    events = running.app.get<EventStore>(EVENT_STORE);
    salesperson = await tokenFor(running.http, 'sp-anna', 'salesperson');
    finance = await tokenFor(running.http, 'fiona', 'finance');
    const customer = await running.http.post(
      '/api/customers',
      { name: 'Acme GmbH', customerGroup: 'wholesale', territory: 'north', ownerId: 'sp-anna', creditLimit: 2000_00, paymentTermsDays: 30 },
      finance,
    );
    customerId = customer.body.id;

    const orderOf = (orderId: string, orderDate: string, lines: ReturnType<typeof line>[]): OrderEvent => ({
      type: 'OrderPlaced',
      data: {
        orderId,
        customerId,
        salesCredit: [{ salespersonId: 'sp-anna', shareBp: 10_000 }],
        orderDate,
        quoteId: null,
        lines,
        total: 0,
      },
    });
    const confirmed = (orderId: string): OrderEvent => ({
      type: 'OrderConfirmed',
      data: { orderId, exposure: 0, creditLimit: 2000_00, checkedAmount: 0, checkedOn: '2025-03-01' },
    });
    await append('order-e2e-o1', [
      orderOf('e2e-o1', '2025-03-01', [line('L1', 'e2e-p1', 10, 100_00, 60_00)]),
      confirmed('e2e-o1'),
      {
        type: 'GoodsDelivered',
        data: {
          orderId: 'e2e-o1',
          deliveryId: 'e2e-d1',
          billOfLading: 'E2E-BOL-1',
          carrier: 'DHL',
          deliveryDate: '2025-03-02',
          lines: [{ lineId: 'L1', quantity: 4 }],
          overDelivery: null,
        },
      },
      {
        type: 'InvoiceIssued',
        data: {
          invoiceId: 'e2e-i1',
          orderId: 'e2e-o1',
          customerId,
          invoiceDate: '2025-03-02',
          dueDate: '2025-04-01',
          lines: [{ lineId: 'L1', quantity: 4, unitPrice: 100_00, amount: 400_00 }],
          amount: 400_00,
        },
      },
      {
        type: 'ReturnRequested',
        data: {
          orderId: 'e2e-o1',
          returnId: 'e2e-r1',
          requestedOn: '2025-03-03',
          reason: 'damaged',
          lines: [{ lineId: 'L1', quantity: 1 }],
        },
      },
    ]);
    await append('order-e2e-o2', [orderOf('e2e-o2', '2025-03-05', [line('L1', 'e2e-p1', 2, 90_00, 50_00)]), confirmed('e2e-o2')]);
    await append(`account-${customerId}`, [
      // every confirmed order has its unbilled value reserved (ADR 0111): 10 × 100, less the 400 invoiced below
      {
        type: 'CreditReserved',
        data: { orderId: 'e2e-o1', amount: 1000_00, exposure: 0, creditLimit: 2000_00, decidedOn: '2025-03-01', forcedBy: null },
      },
      {
        type: 'CreditReserved',
        data: { orderId: 'e2e-o2', amount: 180_00, exposure: 0, creditLimit: 2000_00, decidedOn: '2025-03-05', forcedBy: null },
      },
      {
        type: 'InvoicePosted',
        data: { invoiceId: 'e2e-i1', orderId: 'e2e-o1', amount: 400_00, invoiceDate: '2025-03-02', dueDate: '2025-04-01' },
      },
      { type: 'DepositReceived', data: { depositId: 'e2e-dep', amount: 50_00, receivedOn: '2025-03-03', reference: null } },
    ]);
  });
  afterAll(() => running.close());

  it('lists the order board with customer names and totals, filtered by status and order date', async () => {
    const res = await running.http.get(`/api/orders?customerId=${customerId}&minPosition=${position}`, salesperson);
    expect(res.status).toBe(200);
    expect(res.body.items.map((o: { orderId: string }) => o.orderId)).toEqual(['e2e-o2', 'e2e-o1']);
    expect(res.body.items[1]).toMatchObject({
      customerName: 'Acme GmbH',
      status: 'to_deliver_and_bill',
      value: 1000_00,
      margin: 400_00,
      deliveredBp: 4000,
      invoicedAmount: 400_00,
    });
    expect(res.body.items[1]).not.toHaveProperty('state');
    expect(res.body.totals).toEqual({ count: 2, value: 1180_00, cost: 700_00, margin: 480_00, marginBp: 4067 });

    const march1 = await running.http.get(
      `/api/orders?customerId=${customerId}&from=2025-03-01&to=2025-03-01&status=to_deliver_and_bill`,
      salesperson,
    );
    expect(march1.body.items.map((o: { orderId: string }) => o.orderId)).toEqual(['e2e-o1']);
    const paged = await running.http.get(`/api/orders?customerId=${customerId}&limit=1&offset=1`, salesperson);
    expect(paged.body).toMatchObject({ total: 2, totals: { count: 2 }, items: [{ orderId: 'e2e-o1' }] });
  });

  it('validates the order board query', async () => {
    const bad = await running.http.get('/api/orders?from=2025-02-30', salesperson);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'from', reason: 'from must be a calendar date YYYY-MM-DD' }]);
    const reversed = await running.http.get('/api/orders?from=2025-03-02&to=2025-03-01', salesperson);
    expect(reversed.body.errors).toEqual([{ field: 'to', reason: 'must not be before from' }]);
    expect((await running.http.get('/api/orders?status=open', salesperson)).status).toBe(400);
  });

  it('reads one order, or 404 OrderNotFound', async () => {
    const res = await running.http.get(`/api/orders/e2e-o1?minPosition=${position}`, salesperson);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      orderId: 'e2e-o1',
      customerName: 'Acme GmbH',
      deliveries: [{ billOfLading: 'E2E-BOL-1' }],
      returns: [{ returnId: 'e2e-r1', status: 'requested' }],
    });
    const missing = await running.http.get('/api/orders/nope', salesperson);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('OrderNotFound');
  });

  it('reports the backlog per product', async () => {
    const res = await running.http.get(`/api/reports/backlog?productId=e2e-p1&minPosition=${position}`, salesperson);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        productId: 'e2e-p1',
        quantity: 8,
        value: 780_00,
        orders: [
          { orderId: 'e2e-o1', lineId: 'L1', customerId, orderDate: '2025-03-01', quantity: 6, value: 600_00 },
          { orderId: 'e2e-o2', lineId: 'L1', customerId, orderDate: '2025-03-05', quantity: 2, value: 180_00 },
        ],
      },
    ]);
  });

  it('reports receivables as of a date, company-wide and per customer, for finance only', async () => {
    const list = await running.http.get(`/api/receivables?asOf=2025-04-15&minPosition=${position}`, finance);
    expect(list.status).toBe(200);
    const row = list.body.items.find((r: { customerId: string }) => r.customerId === customerId);
    expect(row).toMatchObject({
      customerName: 'Acme GmbH',
      openReceivables: 400_00,
      aging: { days1to30: 400_00 },
      depositsOnHand: 50_00,
      reservedForOrders: 600_00 + 180_00, // the order board's unbilled value of both orders
      exposure: 400_00 + 780_00 - 50_00,
      creditLimit: 2000_00,
      headroom: 870_00,
    });
    expect(list.body).toMatchObject({ asOf: '2025-04-15', totals: { customers: 1, exposure: 1130_00 } });

    const one = await running.http.get(`/api/receivables/${customerId}?asOf=2025-04-15`, finance);
    expect(one.body.openInvoices).toEqual([
      {
        invoiceId: 'e2e-i1',
        orderId: 'e2e-o1',
        invoiceDate: '2025-03-02',
        dueDate: '2025-04-01',
        amount: 400_00,
        openBalance: 400_00,
        daysOverdue: 14,
        bucket: 'days1to30',
        disputed: false,
        inDunning: true,
      },
    ]);
    const today = await running.http.get(`/api/receivables/${customerId}`, finance);
    expect(today.body.asOf).toBe(new Date().toISOString().slice(0, 10));

    const bad = await running.http.get(`/api/receivables?asOf=2025-02-30`, finance);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'asOf', reason: 'asOf must be a calendar date YYYY-MM-DD' }]);
    expect((await running.http.get('/api/receivables/nobody', finance)).status).toBe(404);
    expect((await running.http.get('/api/receivables', salesperson)).status).toBe(403);
  });

  it('finds the order of a child document through the document index', async () => {
    const index = running.app.get(DocumentIndex);
    expect(await index.orderOfReturn('e2e-r1')).toBe('e2e-o1');
    expect(await index.orderOfDelivery('e2e-d1')).toBe('e2e-o1');
    expect(await index.orderOfBillOfLading('E2E-BOL-1')).toBe('e2e-o1');
    expect(await index.invoice('e2e-i1')).toEqual({ orderId: 'e2e-o1', customerId });
    expect(await index.orderOfReturn('unknown')).toBeNull();
  });
});
