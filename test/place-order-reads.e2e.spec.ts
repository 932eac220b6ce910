import { EVENT_STORE, EventStore, READ_STORE, ReadStore } from '@salesline/core';
import { acme } from './support/fixtures';
import { RunningApp, startInProcessApp } from './support/in-process-app';
import { tokensFor, writes } from './support/scenario';

/**
 * Issue 13: a placement reads each stream it needs once (the customer's account, the customer file, the
 * product, the settings, the order itself), on the request path and after it. The order-to-account
 * process runs inline with the account and the customer as the placement left them, and its
 * subscription does not read them all again for a reaction this server has already carried.
 */
describe('Placing an order reads each stream once', () => {
  let app: RunningApp;
  let manager: string;
  let events: EventStore;
  let reads: ReadStore;
  const written = writes();

  beforeAll(async () => {
    app = await startInProcessApp();
    ({ manager } = await tokensFor(app.http, 'manager'));
    events = app.app.get<EventStore>(EVENT_STORE);
    reads = app.app.get<ReadStore>(READ_STORE);
  });
  afterAll(() => app.close());

  /** Every stream read while `act` runs and until the order-to-account subscription has passed its writes, by stream. */
  const streamReadsDuring = async (act: () => Promise<number>): Promise<Record<string, number>> => {
    const counted: Record<string, number> = {};
    const readStream = events.readStream.bind(events);
    const spy = jest.spyOn(events, 'readStream').mockImplementation((stream, options) => {
      counted[stream] = (counted[stream] ?? 0) + 1;
      return readStream(stream, options);
    });
    try {
      const position = await act();
      for (let i = 0; (await reads.getCheckpoint('process-manager:order-account-sync')) < position; i++) {
        if (i > 500) throw new Error(`the order-to-account subscription did not reach ${position}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return counted;
    } finally {
      spy.mockRestore();
    }
  };

  it('reads the account, the customer, the product, the settings and the order once each for a placement', async () => {
    const customer = written.ok(await app.http.post('/api/customers', acme, manager)).id;
    const product = written.ok(
      await app.http.post('/api/products', { sku: 'R-1', name: 'Reads', unit: 'pcs', listPrice: 1_000, standardCost: 500 }, manager),
    ).id;
    // A first order, so that the account exists and its state is known, as for a returning customer.
    written.ok(await app.http.post('/api/orders', { customerId: customer, lines: [{ productId: product, quantity: 1 }] }, manager));

    const counted = await streamReadsDuring(async () => {
      const placed = written.ok(
        await app.http.post('/api/orders', { customerId: customer, lines: [{ productId: product, quantity: 2 }] }, manager),
      );
      return placed.position as number;
    });

    expect(Object.entries(counted).filter(([, n]) => n > 1)).toEqual([]);
    expect(counted[`account-${customer}`]).toBe(1);
    expect(counted[`customer-${customer}`]).toBe(1);
    expect(counted[`product-${product}`]).toBe(1);
    expect(Object.keys(counted).filter((s) => s.startsWith('order-'))).toHaveLength(1);
  });
});
