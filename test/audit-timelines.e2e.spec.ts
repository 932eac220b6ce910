import { addDays } from '@salesline/shared-kernel';
import { RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

type Entry = {
  position: number;
  event: { id: string; type: string; data: any };
  stream: string;
  actor: string;
  businessDate: string | null;
  recordedAt: string;
  correlationId: string;
  causationId: string | null;
};

/** Auditors' timelines compared with the raw streams they are drawn from. */
describe('Audit timelines: every event about a thing, across streams', () => {
  let app: RunningApp;
  let manager: string;
  let anna: string;
  let finance: string;
  let auditor: string;
  const today = new Date().toISOString().slice(0, 10);
  const day = (n: number) => addDays(today, n - 60);
  let last = 0;
  const ok = async (res: Promise<{ status: number; body: any }>) => {
    const r = await res;
    if (r.status !== 200 && r.status !== 201) throw new Error(`expected 200/201, got ${r.status}: ${JSON.stringify(r.body)}`);
    last = Math.max(last, r.body.position ?? 0);
    return r.body;
  };
  const raw = async (stream: string) => (await app.http.get(`/api/streams/${stream}`, auditor)).body.events as any[];
  const allPages = async (path: string, limit: number) => {
    const entries: Entry[] = [];
    let after = 0;
    for (;;) {
      const page = await app.http.get(`${path}${path.includes('?') ? '&' : '?'}limit=${limit}&after=${after}`, auditor);
      expect(page.status).toBe(200);
      entries.push(...page.body.entries);
      if (page.body.next === null) return entries;
      after = page.body.next;
    }
  };

  beforeAll(async () => {
    app = await startInProcessApp();
    manager = await tokenFor(app.http, 'm-nora', 'sales_manager');
    anna = await tokenFor(app.http, 'sp-anna', 'salesperson');
    finance = await tokenFor(app.http, 'fiona', 'finance');
    auditor = await tokenFor(app.http, 'audrey', 'auditor');
  }, 60_000);
  afterAll(() => app.close());

  it("an order's timeline holds its quote, holds, deliveries, invoice, return, credit note and the payment allocated to its invoice", async () => {
    const { http } = app;
    const customer = await ok(
      http.post(
        '/api/customers',
        {
          name: 'Acme',
          customerGroup: 'wholesale',
          territory: 'north',
          ownerId: 'sp-anna',
          creditLimit: 1_000,
          paymentTermsDays: 30,
          registeredOn: day(0),
        },
        finance,
      ),
    );
    const product = await ok(
      http.post('/api/products', { sku: 'WID-1', name: 'Widget', unit: 'pcs', listPrice: 1_000, standardCost: 600 }, manager),
    );
    const quote = await ok(
      http.post('/api/quotes', { customerId: customer.id, quoteDate: day(1), lines: [{ productId: product.id, quantity: 10 }] }, anna),
    );
    await ok(http.post(`/api/quotes/${quote.id}/accept`, { acceptedOn: day(2) }, anna));
    const orderId = (await ok(http.post(`/api/quotes/${quote.id}/convert`, { orderDate: day(2) }, anna))).orderId;
    const beforeRelease = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await ok(http.post(`/api/orders/${orderId}/release-credit-hold`, { reason: 'known customer' }, finance));
    await ok(
      http.post(
        `/api/orders/${orderId}/deliveries`,
        { billOfLading: 'BOL-1', carrier: 'DHL', deliveryDate: day(5), lines: [{ lineId: 'line-1', quantity: 10 }] },
        manager,
      ),
    );
    const invoice = await ok(http.post(`/api/orders/${orderId}/invoices`, { invoiceDate: day(10) }, finance));
    const ret = await ok(
      http.post('/api/returns', { orderId, reason: 'damaged', requestedOn: day(12), lines: [{ lineId: 'line-1', quantity: 2 }] }, anna),
    );
    await ok(http.post(`/api/returns/${ret.id}/accept`, {}, manager));
    await ok(http.post(`/api/returns/${ret.id}/receive`, { receivedOn: day(15) }, manager));
    await ok(http.post(`/api/customers/${customer.id}/payments`, { amount: 3_000, receivedOn: day(20), reference: 'wire' }, finance));
    // Another order of the same customer: not part of this order's history.
    await ok(
      http.post('/api/orders', { customerId: customer.id, orderDate: day(21), lines: [{ productId: product.id, quantity: 1 }] }, anna),
    );

    // Wait for the process managers (account postings) to settle, then read.
    let timeline: Entry[] = [];
    for (let i = 0; i < 50; i++) {
      timeline = await allPages(`/api/audit/orders/${orderId}?minPosition=${last}`, 1000);
      if (timeline.some((e) => e.event.type === 'PaymentAllocated') && timeline.some((e) => e.event.type === 'CreditNotePosted')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const types = timeline.map((e) => e.event.type);
    for (const type of [
      'QuoteIssued',
      'QuoteAccepted',
      'QuoteConverted',
      'OrderPlaced',
      'OrderPutOnCreditHold',
      'CreditHoldReleased',
      'GoodsDelivered',
      'InvoiceIssued',
      'InvoicePosted',
      'ReturnRequested',
      'ReturnAccepted',
      'ReturnedGoodsReceived',
      'CreditNoteIssued',
      'CreditNotePosted',
      'PaymentAllocated',
    ]) {
      expect(types).toContain(type);
    }
    // Oldest first, each event once.
    const positions = timeline.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);

    // Compared with the raw streams: all of the order's and the quote's events; from the account, exactly those about this order or its invoice.
    const expected = new Set<number>();
    for (const e of await raw(`order-${orderId}`)) expected.add(e.position);
    for (const e of await raw(`quote-${quote.id}`)) expected.add(e.position);
    for (const e of await raw(`account-${customer.id}`))
      if (e.data.orderId === orderId || e.data.invoiceId === invoice.invoiceId) expected.add(e.position);
    // The bill-of-lading registry claims the delivery's document number for this order.
    const registry = timeline.filter((e) => e.stream.startsWith('bill-of-lading-'));
    expect(registry.map((e) => e.event.data.orderId)).toEqual([orderId]);
    for (const e of registry) expected.add(e.position);
    const fromOtherStreams = timeline.filter((e) => !/^(order|quote|account|bill-of-lading)-/.test(e.stream));
    expect(fromOtherStreams.map((e) => e.stream)).toEqual([]);
    expect(positions).toEqual([...expected].sort((a, b) => a - b));
    expect(types).not.toContain('PaymentReceived');

    const placed = timeline.find((e) => e.event.type === 'OrderPlaced')!;
    expect(placed).toMatchObject({
      stream: `order-${orderId}`,
      actor: 'sp-anna',
      businessDate: day(2),
      recordedAt: expect.any(String),
      correlationId: expect.any(String),
    });
    const delivered = timeline.find((e) => e.event.type === 'GoodsDelivered')!;
    expect(delivered).toMatchObject({ actor: 'm-nora', businessDate: day(5), event: { data: { billOfLading: 'BOL-1' } } });

    // Paged in threes, the same list.
    expect((await allPages(`/api/audit/orders/${orderId}`, 3)).map((e) => e.position)).toEqual(positions);

    // As it was before the release, and what changed since.
    const held = await http.get(`/api/audit/orders/${orderId}?asOf=${beforeRelease}`, auditor);
    expect(held.status).toBe(200);
    expect(JSON.stringify(held.body.state)).toContain('credit');
    const diff = await http.get(`/api/audit/orders/${orderId}?from=${beforeRelease}&to=${new Date().toISOString()}`, auditor);
    expect(diff.status).toBe(200);
    expect(diff.body.changes.length).toBeGreaterThan(0);
    expect(Object.keys(diff.body.changes[0]).sort()).toEqual(['field', 'from', 'to']);
    expect(diff.body.changes).toContainEqual({ field: 'credit.status', from: 'held', to: 'released' });
    expect(diff.body.changes).toContainEqual({ field: 'deliveries.0.billOfLading', from: null, to: 'BOL-1' });
    const never = await http.get(`/api/audit/orders/${orderId}?asOf=2000-01-01T00:00:00Z`, auditor);
    expect(never.body.state).toBeNull();

    // The return and the quote have their own timelines.
    const returnTypes = (await allPages(`/api/audit/returns/${ret.id}`, 100)).map((e) => e.event.type);
    expect(returnTypes).toEqual(
      expect.arrayContaining(['ReturnRequested', 'ReturnAccepted', 'ReturnedGoodsReceived', 'CreditNoteIssued', 'CreditNotePosted']),
    );
    expect((await http.get(`/api/audit/returns/${ret.id}?asOf=${new Date().toISOString()}`, auditor)).body.state).toMatchObject({
      returnId: ret.id,
    });
    expect((await allPages(`/api/audit/quotes/${quote.id}`, 100)).map((e) => e.event.type)).toEqual([
      'QuoteIssued',
      'QuoteAccepted',
      'QuoteConverted',
      'OrderPlaced',
    ]);
    const productTypes = (await allPages(`/api/audit/products/${product.id}`, 100)).map((e) => e.event.type);
    expect(productTypes).toEqual(expect.arrayContaining(['ProductRegistered', 'QuoteIssued', 'OrderPlaced']));
    const customerTypes = (await allPages(`/api/audit/customers/${customer.id}`, 100)).map((e) => e.event.type);
    expect(customerTypes).toEqual(
      expect.arrayContaining(['CustomerRegistered', 'QuoteIssued', 'OrderPlaced', 'PaymentReceived', 'PaymentAllocated']),
    );

    // Refusals.
    expect((await http.get(`/api/audit/orders/${orderId}`, anna)).status).toBe(403);
    expect((await http.get('/api/audit/orders/no-such-order', auditor)).body.code).toBe('OrderNotFound');
    expect((await http.get(`/api/audit/orders/${orderId}?from=${beforeRelease}`, auditor)).status).toBe(400);
    expect((await http.get(`/api/audit/orders/${orderId}?asOf=yesterday`, auditor)).status).toBe(400);

    // Every read above was recorded: who read what, and when.
    const reads = await raw('audit-reads-audrey');
    expect(reads.length).toBeGreaterThanOrEqual(5);
    expect(reads[0]).toMatchObject({
      type: 'AuditViewRead',
      data: { view: 'order', subjectId: orderId, readerId: 'audrey' },
      metadata: { actor: 'audrey' },
    });
  });

  it("an employee's timeline holds hiring, visits, meetings and violations; a second list holds what they did as actor", async () => {
    const { http } = app;
    const from = addDays(today, -30);
    await ok(http.post('/api/regions', { regionId: 'north', name: 'North', managerId: 'm-nora', establishedOn: from }, manager));
    await ok(
      http.post('/api/teams', { teamId: 'north-a', regionId: 'north', name: 'North A', managerId: 'm-nora', formedOn: from }, manager),
    );
    await ok(http.post('/api/employees', { employeeId: 'sp-anna', name: 'Anna Berg', teamId: 'north-a', hiredOn: from }, manager));
    await ok(
      http.post(
        '/api/meetings',
        { kind: 'company', title: 'All hands', scheduledFor: today, startsAt: '09:00', attendees: ['sp-anna'] },
        manager,
      ),
    );
    await ok(
      http.post(
        '/api/violations',
        {
          employeeId: 'sp-anna',
          kind: 'other',
          severity: 'minor',
          description: 'late report',
          evidence: [{ kind: 'witness', reference: 'm-nora' }],
        },
        manager,
      ),
    );
    const page = await http.get(`/api/audit/employees/sp-anna?minPosition=${last}&limit=1000`, auditor);
    expect(page.status).toBe(200);
    const types = page.body.entries.map((e: Entry) => e.event.type);
    expect(types).toEqual(expect.arrayContaining(['SalespersonHired', 'MeetingScheduled', 'ViolationRecorded']));
    for (const e of await raw('employee-sp-anna')) expect(page.body.entries.map((x: Entry) => x.position)).toContain(e.position);
    // As actor: the quotes, orders and returns she recorded in the first test.
    const asActor = page.body.asActor.entries as Entry[];
    expect(asActor.length).toBeGreaterThan(0);
    expect(asActor.every((e) => e.actor === 'sp-anna')).toBe(true);
    expect(asActor.map((e) => e.event.type)).toEqual(expect.arrayContaining(['QuoteIssued', 'ReturnRequested']));
    const hired = await http.get(`/api/audit/employees/sp-anna?asOf=${new Date().toISOString()}`, auditor);
    expect(JSON.stringify(hired.body.state)).toContain('north-a');
  });
});
