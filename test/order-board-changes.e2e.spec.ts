import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { openSse, SseConnection, SseMessage } from './support/sse';

/**
 * GET /api/order-board/changes (ADR 0402): the order board live over server-sent events, each change as the order's
 * board row, to whoever may read that order: a salesperson their own, a sales manager their team's, finance all.
 */
describe('The order board live: GET /api/order-board/changes', () => {
  let running: RunningApp;
  const tokens: Record<string, string> = {};
  const customers: Record<string, string> = {};
  let product: string;

  const ok = async (res: Promise<{ status: number; body: any }>) => {
    const r = await res;
    if (r.status >= 300) throw new Error(`seed failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const url = (query = '') => `${running.baseUrl}/api/order-board/changes${query}`;
  const as = (userId: string) => ({ authorization: `Bearer ${tokens[userId]}` });
  const place = async (side: 'a' | 'b') =>
    ok(
      running.http.post('/api/orders', { customerId: customers[side], lines: [{ productId: product, quantity: 3 }] }, tokens[`sp-${side}`]),
    );
  const orderIdsOf = (messages: SseMessage[]) => [...new Set(messages.map((m) => JSON.parse(m.data!).order.id as string))];

  beforeAll(async () => {
    running = await startInProcessApp();
    const today = new Date().toISOString().slice(0, 10);
    tokens.hr = await tokenFor(running.http, 'hr', 'admin_department');
    tokens.fin = await tokenFor(running.http, 'fin', 'finance');
    // Given sp-a led by mgr-a and sp-b led by mgr-b, each in a region and team of their own
    for (const side of ['a', 'b'] as const) {
      tokens[`mgr-${side}`] = await tokenFor(running.http, `mgr-${side}`, 'sales_manager');
      tokens[`sp-${side}`] = await tokenFor(running.http, `sp-${side}`, 'salesperson');
      const manager = `mgr-${side}`;
      await ok(
        running.http.post(
          '/api/regions',
          { regionId: `r-${side}`, name: `Region ${side}`, managerId: manager, establishedOn: today },
          tokens.hr,
        ),
      );
      await ok(
        running.http.post(
          '/api/teams',
          { teamId: `t-${side}`, regionId: `r-${side}`, name: `Team ${side}`, managerId: manager, formedOn: today },
          tokens.hr,
        ),
      );
      await ok(
        running.http.post(
          '/api/employees',
          { employeeId: `sp-${side}`, name: `SP ${side}`, teamId: `t-${side}`, hiredOn: today },
          tokens.hr,
        ),
      );
    }
    product = (
      await ok(
        running.http.post(
          '/api/products',
          { sku: 'LV-1', name: 'Widget', unit: 'pcs', listPrice: 10_00, standardCost: 6_00 },
          tokens['mgr-a'],
        ),
      )
    ).id;
    for (const side of ['a', 'b'] as const) {
      customers[side] = (
        await ok(
          running.http.post(
            '/api/customers',
            {
              name: `Customer ${side}`,
              customerGroup: 'wholesale',
              territory: 'north',
              ownerId: `sp-${side}`,
              creditLimit: 1_000_000,
              paymentTermsDays: 30,
            },
            tokens.fin,
          ),
        )
      ).id;
    }
  }, 120_000);
  afterAll(() => running?.close());

  it('sends each new order, as the order board has it, to the readers in whose reach it is, and nothing from before the connection', async () => {
    const before = await place('a');
    const streams: Record<string, SseConnection> = {};
    for (const user of ['fin', 'sp-a', 'mgr-a', 'mgr-b']) streams[user] = await openSse(url('?heartbeatMs=200'), as(user));
    try {
      expect(Object.values(streams).map((s) => s.status)).toEqual([200, 200, 200, 200]);
      // When sp-a and sp-b each place an order
      const ofA = await place('a');
      const ofB = await place('b');
      // Then finance sees both, sp-a and mgr-a only sp-a's, mgr-b only sp-b's
      await streams.fin.until((m) => orderIdsOf(m).includes(ofA.id) && orderIdsOf(m).includes(ofB.id));
      await streams['sp-a'].until((m) => orderIdsOf(m).includes(ofA.id));
      await streams['mgr-a'].until((m) => orderIdsOf(m).includes(ofA.id));
      await streams['mgr-b'].until((m) => orderIdsOf(m).includes(ofB.id));
      // (a heartbeat later, so that anything out of reach would have arrived too)
      await streams['sp-a'].until(() => streams['sp-a'].comments.includes('heartbeat'));
      await streams['mgr-b'].until(() => streams['mgr-b'].comments.includes('heartbeat'));
      expect(orderIdsOf(streams.fin.messages).sort()).toEqual([ofA.id, ofB.id].sort());
      expect(orderIdsOf(streams['sp-a'].messages)).toEqual([ofA.id]);
      expect(orderIdsOf(streams['mgr-a'].messages)).toEqual([ofA.id]);
      expect(orderIdsOf(streams['mgr-b'].messages)).toEqual([ofB.id]);
      expect(orderIdsOf(streams.fin.messages)).not.toContain(before.id);

      // Each message is the order's board row after that event, under the event's global position
      const placed = streams['sp-a'].messages.find((m) => JSON.parse(m.data!).eventType === 'OrderPlaced')!;
      const data = JSON.parse(placed.data!);
      expect(placed.event).toBe('order');
      expect(Number(placed.id)).toBe(data.position);
      const board = await running.http.get(`/api/orders/${ofA.id}?minPosition=${ofA.position}`, tokens['sp-a']);
      expect(data.order).toMatchObject({
        id: ofA.id,
        customerId: customers.a,
        customerName: 'Customer a',
        salespersonId: 'sp-a',
        value: 30_00,
      });
      expect(data.order.lines).toEqual(board.body.lines);
      expect(data.order).not.toHaveProperty('_position');
      const last = JSON.parse(streams['sp-a'].messages[streams['sp-a'].messages.length - 1].data!);
      expect(last.order).toEqual(board.body);
    } finally {
      Object.values(streams).forEach((s) => s.close());
    }
  });

  it('resumes after Last-Event-ID with what happened in reach while away, and narrows to a salesperson a manager leads', async () => {
    const first = await openSse(url(), as('mgr-a'));
    const seen = await place('a');
    await first.until((m) => orderIdsOf(m).includes(seen.id));
    const lastId = first.messages[first.messages.length - 1].id!;
    first.close();
    // While the manager is away, both salespeople sell
    const missedA = await place('a');
    const missedB = await place('b');
    const resumed = await openSse(url('?heartbeatMs=200'), { ...as('mgr-a'), 'last-event-id': lastId });
    try {
      await resumed.until((m) => orderIdsOf(m).includes(missedA.id));
      await resumed.until(() => resumed.comments.includes('heartbeat'));
      expect(orderIdsOf(resumed.messages)).toEqual([missedA.id]);
      expect(resumed.messages.every((m) => Number(m.id) > Number(lastId))).toBe(true);
    } finally {
      resumed.close();
    }
    const narrowed = await openSse(url(`?salespersonId=sp-b&after=${lastId}&heartbeatMs=200`), as('fin'));
    try {
      await narrowed.until((m) => orderIdsOf(m).includes(missedB.id));
      await narrowed.until(() => narrowed.comments.includes('heartbeat'));
      expect(orderIdsOf(narrowed.messages)).toEqual([missedB.id]);
    } finally {
      narrowed.close();
    }
  });

  it('refuses callers without a token or a reader role, a filter out of reach and a position that is not one', async () => {
    const status = async (query: string, headers: Record<string, string>) => {
      const res = await fetch(url(query), { headers: { accept: 'text/event-stream', ...headers } });
      const body = res.headers.get('content-type')?.startsWith('application/json') ? ((await res.json()) as { code?: string }) : null;
      await res.body?.cancel().catch(() => undefined);
      return `${res.status} ${body?.code ?? ''}`.trim();
    };
    expect(await status('', {})).toBe('401 Unauthenticated');
    expect(await status('', as('hr'))).toBe('403 RoleRequired');
    expect(await status('?salespersonId=sp-b', as('sp-a'))).toBe('403 OutOfScope');
    expect(await status('?salespersonId=sp-b', as('mgr-a'))).toBe('403 OutOfScope');
    expect(await status('?after=-1', as('fin'))).toBe('400 ValidationFailed');
    expect(await status('?after=999999999', as('fin'))).toBe('400 ValidationFailed');
    expect(await status('', { ...as('fin'), 'last-event-id': 'abc' })).toBe('400 ValidationFailed');
    expect(await status('?heartbeatMs=5', as('fin'))).toBe('400 ValidationFailed');
  });

  it('ends an open stream with `event: unauthorized` once its token is revoked (sign-out)', async () => {
    const pair = await ok(running.http.post('/api/auth/tokens', { userId: 'fin2', roles: ['finance'] }, ADMIN_TOKEN));
    const stream = await openSse(url('?heartbeatMs=100'), { authorization: `Bearer ${pair.token}` });
    try {
      await stream.until(() => stream.comments.includes('heartbeat'));
      await ok(running.http.request('POST', `/api/auth/tokens/${pair.tokenId}/revoke`, { token: pair.token }));
      await stream.until((m) => m.some((x) => x.event === 'unauthorized'));
      expect(JSON.parse(stream.messages.find((x) => x.event === 'unauthorized')!.data!).code).toBe('TokenRevoked');
      expect((await running.http.get('/api/auth/me', pair.token)).status).toBe(401);
    } finally {
      stream.close();
    }
  });
});
