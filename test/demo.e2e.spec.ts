import { EVENT_STORE, EventStore, RecordedEvent } from '@salesline/core';
import { generateDemo } from '@salesline/demo/demo-company';
import { ADMIN_TOKEN, startInProcessApp } from './support/in-process-app';

jest.setTimeout(300_000);

/** Every event of the log, stream by stream in revision order (the order of the whole log follows the interleaving). */
const eventsByStream = async (store: EventStore) => {
  const all: RecordedEvent[] = [];
  for (
    let batch = await store.readAll({ maxCount: 1000 });
    batch.length;
    batch = await store.readAll({ afterPosition: batch.at(-1)!.position, maxCount: 1000 })
  )
    all.push(...batch);
  return all
    .map((e) => ({
      stream: e.streamName,
      revision: e.revision,
      type: e.type,
      // Credentials are random by design (token ids, issuing instant): their streams are compared by type only.
      data: e.streamName.startsWith('user-') ? null : e.data,
    }))
    .sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.revision - b.revision));
};

/**
 * The demo company is recorded through the real API and is deterministic: the same seed on two fresh servers gives
 * the same company (the same ids, the same figures in the read models) and the same events, whether the lanes of a
 * day run one at a time or side by side.
 */
describe('Demo company', () => {
  const size = { salespeoplePerTeam: 1, customers: 8, products: 4, months: 1 };
  const year = new Date().getUTCFullYear().toString();
  const build = async (seed: number, concurrency: number) => {
    const running = await startInProcessApp();
    try {
      const demo = await generateDemo(running.baseUrl, ADMIN_TOKEN, { seed, size, concurrency });
      const analyst = demo.users.find((u) => u.userId === 'andy')!.token; // a manager reads their region only (ADR 0019)
      const read = async (path: string) => {
        const res = await running.http.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${demo.lastPosition}`, analyst);
        expect(res.status).toBe(200);
        return res.body;
      };
      const progress = await read(`/api/reports/sales-progress?period=${year}&level=salesperson`);
      const orders = await read('/api/orders?limit=1000');
      const events = await eventsByStream(running.app.get<EventStore>(EVENT_STORE));
      return { demo, progress, orders, events };
    } finally {
      await running.close();
    }
  };

  it('the same seed gives the same events on two fresh servers, one lane at a time or eight side by side', async () => {
    const a = await build(3, 1);
    const b = await build(3, 8);
    expect(b.events.length).toBe(a.events.length);
    expect(b.events).toEqual(a.events);
    expect(a.demo.counts).toEqual(b.demo.counts);
    expect(a.demo.refusals).toEqual(b.demo.refusals);
    expect(a.demo.lastPosition).toBe(b.demo.lastPosition);
    expect(a.orders.items.map((o: any) => [o.id, o.status, o.value])).toEqual(b.orders.items.map((o: any) => [o.id, o.status, o.value]));
    expect(a.progress.rows.map((r: any) => [r.nodeId, r.actual, r.target])).toEqual(
      b.progress.rows.map((r: any) => [r.nodeId, r.actual, r.target]),
    );
    // The year happened: orders were placed, delivered and invoiced, and the salespeople were appraised.
    expect(a.orders.totals.count).toBeGreaterThan(3);
    expect(a.demo.counts.invoices).toBeGreaterThan(0);
    expect(a.demo.counts.appraisalReviews).toBe(5);
  });
});
