import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { describeOrSkip } from '@salesline/core/testing';
import { ensureBuilt, REBUILD_MAIN, runNode } from './support/built-server';
import { HttpClient, HttpResponse, httpClient } from './support/http';
import {
  postgresEngine,
  PreparedEngine,
  SplitDeployment,
  SplitEngine,
  sqliteEngine,
  startSplitDeployment,
} from './support/split-deployment';

/**
 * The scale-out deployment, run for real: two API replicas (PROJECTIONS=off) and one projector,
 * three OS processes over one store, on the SQLite files and on PostgreSQL. Commands race through
 * both replicas; the projector is killed mid-load and restarted; the read models are then compared
 * with a rebuild from the log.
 */
const ADMIN_TOKEN = 'split-e2e-admin-token-0123456789';
const COMMON_ENV = {
  ADMIN_TOKEN,
  TOKEN_SECRET: 'split-e2e-shared-token-secret-0123456789',
  READ_YOUR_WRITES_TIMEOUT_MS: '60000',
  REQUEST_TIMEOUT_MS: '120000',
};
const today = new Date().toISOString().slice(0, 10);

const ok = <T>(res: HttpResponse<T>, ...expected: number[]): T => {
  if (!(expected.length ? expected : [200, 201]).includes(res.status))
    throw new Error(`unexpected ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
};

const describeEngine = (engine: SplitEngine, body: (context: () => Context) => void) => {
  describeOrSkip(`The split deployment (2 API replicas + projector) on ${engine.name}`, engine.skipReason, () => {
    const context = {} as Context;
    beforeAll(async () => {
      ensureBuilt();
      context.engine = await engine.prepare();
      context.deployment = await startSplitDeployment(context.engine, COMMON_ENV);
      context.replicas = context.deployment.apis.map((api) => httpClient(api.baseUrl)) as [HttpClient, HttpClient];
    }, 240_000);
    afterAll(async () => {
      await context.deployment?.stop();
      await context.engine?.cleanup();
    }, 60_000);
    body(() => context);
  });
};

type Context = { engine: PreparedEngine; deployment: SplitDeployment; replicas: [HttpClient, HttpClient] };

for (const engine of [sqliteEngine, postgresEngine]) {
  describeEngine(engine, (context) => {
    const tokens: Record<string, string> = {};
    let product: string;

    it('a token issued through one replica works on the other', async () => {
      const [one, two] = context().replicas;
      tokens.finance = ok(await one.post('/api/auth/tokens', { userId: 'fiona', roles: ['finance'] }, ADMIN_TOKEN)).token;
      tokens.manager = ok(await two.post('/api/auth/tokens', { userId: 'mia', roles: ['sales_manager'] }, ADMIN_TOKEN)).token;
      tokens.anna = ok(await one.post('/api/auth/tokens', { userId: 'anna', roles: ['salesperson'] }, ADMIN_TOKEN)).token;
      expect((await two.get('/api/customers', tokens.finance)).status).toBe(200);
      expect((await one.get('/api/customers', tokens.manager)).status).toBe(200);
      expect((await two.get('/api/customers', 'sl_forged.token')).status).toBe(401);
      product = ok(
        await two.post('/api/products', { sku: 'TOOL-9', name: 'Tool', unit: 'pcs', listPrice: 1_000, standardCost: 700 }, tokens.manager),
      ).id;
    });

    it('?minPosition= on either replica waits for the projector (stopped, then started while the query waits)', async () => {
      const { deployment, replicas } = context();
      const [one, two] = replicas;
      await deployment.stopProjector('SIGTERM');
      const written = ok(
        await one.post(
          '/api/customers',
          { name: 'Waiting GmbH', customerGroup: 'retail', territory: 'north', ownerId: 'anna', creditLimit: 1_000, paymentTermsDays: 30 },
          tokens.finance,
        ),
      );
      let answered = false;
      const reads = Promise.all(
        replicas.map((r) => r.get(`/api/customers/${written.id}?minPosition=${written.position}`, tokens.finance)),
      ).finally(() => (answered = true));
      await new Promise((r) => setTimeout(r, 1_000));
      expect(answered).toBe(false); // no projector: nobody moves the read model
      expect((await two.get(`/api/customers/${written.id}`, tokens.finance)).status).toBe(404);
      deployment.startProjector();
      for (const res of await reads) {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: written.id, name: 'Waiting GmbH' });
      }
    }, 120_000);

    it("orders racing through both replicas for one customer's credit never confirm more than the limit", async () => {
      const [one, two] = context().replicas;
      const customer = ok(
        await one.post(
          '/api/customers',
          { name: 'Tight', customerGroup: 'retail', territory: 'south', ownerId: 'anna', creditLimit: 10_000, paymentTermsDays: 14 },
          tokens.finance,
        ),
      ).id;
      // 12 orders of 3 × 10.00 = 30.00 each, half through each replica at once: the 100.00 limit admits three.
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? two : one).post('/api/orders', { customerId: customer, lines: [{ productId: product, quantity: 3 }] }, tokens.anna),
        ),
      );
      for (const a of answers) expect([201, 409]).toContain(a.status); // 409 only as ConcurrencyConflict: retry later
      for (const a of answers.filter((x) => x.status === 409)) expect(a.body.code).toBe('ConcurrencyConflict');
      const placed = answers.filter((a) => a.status === 201);
      const confirmed = placed.filter((a) => a.body.status !== 'on_credit_hold');
      expect(placed.length).toBeGreaterThanOrEqual(3);
      expect(confirmed).toHaveLength(3);
      // Both replicas read the same outcome once the projector has it.
      const last = Math.max(...placed.map((a) => a.body.position));
      for (const replica of [one, two]) {
        const orders = ok(await replica.get(`/api/orders?customerId=${customer}&limit=100&minPosition=${last}`, tokens.finance));
        const statuses = (orders.items as Array<{ status: string }>).map((o) => o.status);
        expect(statuses).toHaveLength(placed.length);
        expect(statuses.filter((s) => s !== 'on_credit_hold')).toHaveLength(3);
      }
    }, 60_000);

    it('deliveries racing through both replicas for one order never deliver more than ordered', async () => {
      const [one, two] = context().replicas;
      const customer = ok(
        await two.post(
          '/api/customers',
          { name: 'Roomy', customerGroup: 'retail', territory: 'south', ownerId: 'anna', creditLimit: 1_000_000, paymentTermsDays: 14 },
          tokens.finance,
        ),
      ).id;
      const order = ok(await one.post('/api/orders', { customerId: customer, lines: [{ productId: product, quantity: 10 }] }, tokens.anna));
      expect(order.status).toBe('to_deliver_and_bill');
      // 8 deliveries of 3 for a line of 10: three fit, the fourth would make 12.
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? two : one).post(
            `/api/orders/${order.id}/deliveries`,
            { billOfLading: `BOL-${i}`, carrier: 'DHL', deliveryDate: today, lines: [{ lineId: 'L1', quantity: 3 }] },
            tokens.manager,
          ),
        ),
      );
      const delivered = answers.filter((a) => a.status === 200 || a.status === 201);
      const conflicts = answers.filter((a) => a.body.code === 'ConcurrencyConflict');
      for (const a of answers.filter((x) => !delivered.includes(x) && !conflicts.includes(x)))
        expect(a.body.code).toBe('OverDeliveryNotAllowed');
      // Every attempt that was decided either fitted or was refused: the first three decided fit.
      expect(delivered).toHaveLength(Math.min(3, answers.length - conflicts.length));
      const stream = ok(await two.get(`/api/streams/order-${order.id}`, ADMIN_TOKEN));
      const goods = (stream.events as Array<{ type: string; data: { lines: Array<{ quantity: number }> } }>).filter(
        (e) => e.type === 'GoodsDelivered',
      );
      expect(goods).toHaveLength(delivered.length);
      expect(goods.flatMap((e) => e.data.lines).reduce((sum, l) => sum + l.quantity, 0)).toBeLessThanOrEqual(10);
    }, 60_000);

    it('the projector SIGKILLed mid-load and restarted resumes: nothing lost, nothing counted twice, and the read models equal a rebuild', async () => {
      const { deployment, replicas, engine } = context();
      const [one] = replicas;
      const before = ok(await one.get('/api/customers?limit=1', tokens.finance)).total as number;
      const registered: Array<{ id: string; position: number }> = [];
      let writes = 0;
      let last = 0;
      // 4 clients, alternating replicas: register a customer, take a deposit, place an order.
      const client = async (lane: number) => {
        for (let i = 0; i < 6; i++) {
          const replica = replicas[(lane + i) % 2];
          const customer = ok(
            await replica.post(
              '/api/customers',
              {
                name: `Load ${lane}-${i}`,
                customerGroup: 'retail',
                territory: `t${lane}`,
                ownerId: 'anna',
                creditLimit: 50_000,
                paymentTermsDays: 30,
              },
              tokens.finance,
            ),
          );
          registered.push(customer);
          const deposit = ok(
            await replicas[(lane + i + 1) % 2].post(
              `/api/customers/${customer.id}/deposits`,
              { amount: 1_000 + i, receivedOn: today, reference: `d-${lane}-${i}` },
              tokens.finance,
            ),
          );
          const order = ok(
            await replica.post(
              '/api/orders',
              { customerId: customer.id, lines: [{ productId: product, quantity: 1 + (i % 4) }] },
              tokens.anna,
            ),
          );
          last = Math.max(last, customer.position, deposit.position, order.position);
          writes += 3;
        }
      };
      const load = Promise.all(Array.from({ length: 4 }, (_, lane) => client(lane)));
      while (writes < 24) await new Promise((r) => setTimeout(r, 20));
      await deployment.stopProjector('SIGKILL');
      await new Promise((r) => setTimeout(r, 500));
      deployment.startProjector();
      await load;

      // Nothing lost: every acknowledged registration is in the read model, on both replicas.
      for (const replica of replicas) {
        const list = ok(await replica.get(`/api/customers?limit=1000&minPosition=${last}`, tokens.finance));
        expect(list.total).toBe(before + registered.length);
        const ids = new Set((list.items as Array<{ id: string }>).map((c) => c.id));
        for (const c of registered) expect(ids.has(c.id)).toBe(true);
      }
      // Nothing counted twice: the documents equal a rebuild of every projection from position 0.
      const live = await engine.dumpReadModels();
      const rebuilt = await runNode(REBUILD_MAIN, ['all'], { ...COMMON_ENV, ...engine.env('rebuild') });
      expect(rebuilt.status).toBe(0);
      expect(await engine.dumpReadModels()).toEqual(live);
      expect(Object.keys(live).length).toBeGreaterThanOrEqual(5);
    }, 180_000);
  });
}
