import { generateDemo } from '@salesline/demo/demo-company';
import { ADMIN_TOKEN, startInProcessApp } from './support/in-process-app';

jest.setTimeout(120_000);

/**
 * The demo company is recorded through the real API and is deterministic: the same seed on two fresh servers gives
 * the same company (the same ids, the same figures in the read models).
 */
describe('Demo company', () => {
  const size = { salespeoplePerTeam: 1, customers: 8, products: 4, months: 1 };
  const year = new Date().getUTCFullYear().toString();
  const build = async (seed: number) => {
    const running = await startInProcessApp();
    try {
      const demo = await generateDemo(running.baseUrl, ADMIN_TOKEN, { seed, size });
      const analyst = demo.users.find((u) => u.userId === 'andy')!.token; // a manager reads their region only (ADR 0019)
      const read = async (path: string) => {
        const res = await running.http.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${demo.lastPosition}`, analyst);
        expect(res.status).toBe(200);
        return res.body;
      };
      const progress = await read(`/api/reports/sales-progress?period=${year}&level=salesperson`);
      const orders = await read('/api/orders?limit=1000');
      return { demo, progress, orders };
    } finally {
      await running.close();
    }
  };

  it('the same seed gives the same company on two fresh servers', async () => {
    const a = await build(3);
    const b = await build(3);
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
