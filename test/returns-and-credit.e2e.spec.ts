import { addDays } from '@salesline/shared-kernel';
import { RunningApp, startInProcessApp } from './support/in-process-app';
import { tokensFor, writes } from './support/scenario';

/**
 * Issue 8 / ADR 0111 over HTTP: a return with replacement is credit-checked and reserved again, one
 * without replacement closes the quantity, and after every step the order board (creditReserved,
 * unbilled value, open to deliver, margin) and the customer's account (reserved, exposure, headroom) agree.
 * day(n) = today − 40 + n.
 */
describe('Returns with and without replacement at the credit limit', () => {
  let app: RunningApp;
  let manager: string;
  let anna: string;
  let finance: string;
  const today = new Date().toISOString().slice(0, 10);
  const day = (n: number) => addDays(today, n - 40);
  const written = writes();
  const ok = written.ok;
  let customer: string;
  let product: string;

  beforeAll(async () => {
    app = await startInProcessApp();
    ({ manager, anna, finance } = await tokensFor(app.http, 'manager', 'anna', 'finance'));
    customer = ok(
      await app.http.post(
        '/api/customers',
        {
          name: 'Limit Ltd',
          customerGroup: 'retail',
          territory: 'east',
          ownerId: 'anna',
          creditLimit: 10_000,
          paymentTermsDays: 30,
          registeredOn: day(0),
        },
        finance,
      ),
    ).id;
    product = ok(
      await app.http.post('/api/products', { sku: 'RET-1', name: 'Crate', unit: 'pcs', listPrice: 1_000, standardCost: 400 }, manager),
    ).id;
  }, 60_000);
  afterAll(() => app.close());

  /** Board and account, read at the last position written: they must tell the same story. */
  const agree = async () => {
    const board = ok(await app.http.get(`/api/orders?customerId=${customer}&minPosition=${written.last}`, manager));
    const account = ok(await app.http.get(`/api/receivables/${customer}?minPosition=${written.last}`, finance));
    const reserved = board.items.reduce((a: number, o: any) => a + o.creditReserved, 0);
    expect(account.reservedForOrders).toBe(reserved);
    expect(account.exposure).toBe(account.openReceivables + reserved - account.unallocatedCredit);
    expect(account.headroom).toBe(account.creditLimit - account.exposure);
    for (const o of board.items) if (o.credit.status !== 'held') expect(o.creditReserved).toBe(o.unbilledValue);
    return { board, account };
  };
  const order = async (id: string) => ok(await app.http.get(`/api/orders/${id}?minPosition=${written.last}`, manager));

  it('a replacement within the limit is reserved again; one over the limit waits on credit hold until finance releases it', async () => {
    const { http } = app;
    // 10 × 1_000 = 10_000 = the limit: confirmed, delivered, invoiced.
    const o1 = ok(
      await http.post('/api/orders', { customerId: customer, orderDate: day(1), lines: [{ productId: product, quantity: 10 }] }, anna),
      [201],
    );
    expect(o1.status).toBe('to_deliver_and_bill');
    ok(
      await http.post(
        `/api/orders/${o1.id}/deliveries`,
        { billOfLading: 'RET-B1', carrier: 'DHL', deliveryDate: day(2), lines: [{ lineId: 'L1', quantity: 10 }] },
        manager,
      ),
    );
    ok(await http.post(`/api/orders/${o1.id}/invoices`, { invoiceDate: day(3) }, finance), [201]);
    await agree();

    // Return 2 with replacement: the credit note (2_000) and the new reservation (2_000) leave exposure at the limit.
    const r1 = ok(
      await http.post(
        '/api/returns',
        { orderId: o1.id, reason: 'damaged', requestedOn: day(4), replacement: true, lines: [{ lineId: 'L1', quantity: 2 }] },
        anna,
      ),
      [201],
    );
    expect(r1).toMatchObject({ status: 'requested', replacement: true, orderStatus: 'completed' });
    expect(ok(await http.post(`/api/returns/${r1.id}/accept`, { acceptedOn: day(5) }, manager))).toMatchObject({ status: 'accepted' });
    expect(ok(await http.post(`/api/returns/${r1.id}/receive`, { receivedOn: day(6) }, manager))).toMatchObject({
      status: 'received',
      orderStatus: 'to_deliver_and_bill',
    });
    let { account } = await agree();
    expect(account).toMatchObject({ openReceivables: 8_000, reservedForOrders: 2_000, exposure: 10_000, headroom: 0 });
    expect((await order(o1.id)).lines[0]).toMatchObject({ openToDeliver: 2, returnedReceived: 2, credited: 2 });

    // The old hole: a new order now finds no headroom and is held.
    const o2 = ok(
      await http.post('/api/orders', { customerId: customer, orderDate: day(7), lines: [{ productId: product, quantity: 2 }] }, anna),
      [201],
    );
    expect(o2.status).toBe('on_credit_hold');
    await agree();

    // Finance lowers the limit; a second replacement return finds the customer over it and waits.
    ok(await http.post(`/api/customers/${customer}/credit-limit`, { creditLimit: 9_000, reason: 'review' }, finance));
    ok(
      await http.post(
        `/api/orders/${o1.id}/deliveries`,
        { billOfLading: 'RET-B2', carrier: 'DHL', deliveryDate: day(8), lines: [{ lineId: 'L1', quantity: 2 }] },
        manager,
      ),
    );
    ok(await http.post(`/api/orders/${o1.id}/invoices`, { invoiceDate: day(8) }, finance), [201]);
    const r2 = ok(
      await http.post(
        '/api/returns',
        { orderId: o1.id, reason: 'damaged again', requestedOn: day(9), lines: [{ lineId: 'L1', quantity: 1 }] },
        anna,
      ),
      [201],
    );
    ok(await http.post(`/api/returns/${r2.id}/accept`, {}, manager));
    expect(ok(await http.post(`/api/returns/${r2.id}/receive`, { receivedOn: day(10) }, manager))).toMatchObject({
      status: 'received',
      orderStatus: 'on_credit_hold',
    });
    let o = await order(o1.id);
    expect(o.credit).toMatchObject({ status: 'held', holdReason: 'recheck_at_replacement' });
    expect(o.creditReserved).toBe(0);
    expect(
      (
        await http.post(
          `/api/orders/${o1.id}/deliveries`,
          { billOfLading: 'RET-B3', carrier: 'DHL', deliveryDate: day(11), lines: [{ lineId: 'L1', quantity: 1 }] },
          manager,
        )
      ).body.code,
    ).toBe('OrderOnCreditHold');
    ({ account } = await agree());
    expect(account).toMatchObject({ openReceivables: 9_000, reservedForOrders: 0, exposure: 9_000 });

    // Finance releases: the replacement is reserved (forced, with who allowed it) and may be delivered.
    ok(
      await http.post(`/api/orders/${o1.id}/release-credit-hold`, { reason: 'replacement of damaged goods', releasedOn: day(11) }, finance),
    );
    ({ account } = await agree());
    expect(account).toMatchObject({ reservedForOrders: 1_000, exposure: 10_000, headroom: -1_000 });
    o = await order(o1.id);
    expect(o.credit).toMatchObject({ status: 'released', releasedBy: 'fiona' });
    ok(
      await http.post(
        `/api/orders/${o1.id}/deliveries`,
        { billOfLading: 'RET-B3', carrier: 'DHL', deliveryDate: day(12), lines: [{ lineId: 'L1', quantity: 1 }] },
        manager,
      ),
    );
    await agree();
  }, 60_000);

  it('a return without replacement closes the quantity: nothing reopens, value and margin drop, the account reserves nothing more', async () => {
    const { http } = app;
    ok(await http.post(`/api/customers/${customer}/credit-limit`, { creditLimit: 100_000, reason: 'review' }, finance));
    const o3 = ok(
      await http.post('/api/orders', { customerId: customer, orderDate: day(13), lines: [{ productId: product, quantity: 5 }] }, anna),
      [201],
    );
    ok(
      await http.post(
        `/api/orders/${o3.id}/deliveries`,
        { billOfLading: 'RET-B4', carrier: 'DHL', deliveryDate: day(14), lines: [{ lineId: 'L1', quantity: 5 }] },
        manager,
      ),
    );
    ok(await http.post(`/api/orders/${o3.id}/invoices`, { invoiceDate: day(14) }, finance), [201]);
    const r = ok(
      await http.post(
        '/api/returns',
        { orderId: o3.id, reason: 'not needed', requestedOn: day(15), replacement: false, lines: [{ lineId: 'L1', quantity: 2 }] },
        anna,
      ),
      [201],
    );
    expect(r).toMatchObject({ status: 'requested', replacement: false });
    ok(await http.post(`/api/returns/${r.id}/accept`, { acceptedOn: day(15) }, manager));
    expect(ok(await http.post(`/api/returns/${r.id}/receive`, { receivedOn: day(16) }, manager))).toMatchObject({
      status: 'received',
      orderStatus: 'completed',
    });
    const o = await order(o3.id);
    expect(o.lines[0]).toMatchObject({
      ordered: 5,
      returnedReceived: 2,
      returnedClosed: 2,
      effectiveOrdered: 3,
      netDelivered: 3,
      openToDeliver: 0,
      billable: 0,
    });
    expect(o).toMatchObject({ value: 3_000, cost: 1_200, margin: 1_800, creditReserved: 0, creditedAmount: 2_000 });
    await agree();
    expect(
      (await http.post('/api/returns', { orderId: o3.id, reason: 'x', replacement: 'no', lines: [{ lineId: 'L1', quantity: 1 }] }, anna))
        .status,
    ).toBe(400);
  }, 60_000);

  it('a customer without account activity answers 200 with zeros, and the company list includes it on request', async () => {
    const { http } = app;
    const quiet = ok(
      await http.post(
        '/api/customers',
        { name: 'Quiet Co', customerGroup: 'retail', territory: 'east', ownerId: 'anna', creditLimit: 7_000, paymentTermsDays: 30 },
        finance,
      ),
    ).id;
    const one = ok(await http.get(`/api/receivables/${quiet}?minPosition=${written.last}`, finance));
    expect(one).toMatchObject({
      customerId: quiet,
      openReceivables: 0,
      reservedForOrders: 0,
      exposure: 0,
      creditLimit: 7_000,
      headroom: 7_000,
      openInvoices: [],
    });
    expect((await http.get('/api/receivables/nobody', finance)).body.code).toBe('CustomerNotFound');
    expect(ok(await http.get('/api/receivables', finance)).items.map((r: any) => r.customerId)).not.toContain(quiet);
    const all = ok(await http.get('/api/receivables?includeInactive=true', finance));
    expect(all.items.find((r: any) => r.customerId === quiet)).toMatchObject({ customerName: 'Quiet Co', exposure: 0, headroom: 7_000 });
  }, 60_000);
});
