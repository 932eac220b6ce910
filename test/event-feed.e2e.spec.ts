import { RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { openSse } from './support/sse';

const customer = (name: string) => ({
  name,
  customerGroup: 'wholesale',
  territory: 'north',
  ownerId: 'sp-anna',
  creditLimit: 0,
  paymentTermsDays: 30,
});

describe('The event feed for downstream systems: GET /api/events and /api/events/subscribe', () => {
  let running: RunningApp;
  let integration: string;
  let finance: string;

  beforeAll(async () => {
    running = await startInProcessApp();
    integration = await tokenFor(running.http, 'erp-bridge', 'integration');
    finance = await tokenFor(running.http, 'fiona', 'finance');
  }, 60_000);
  afterAll(() => running.close());

  it('pages the log with a next position, filtered by type and stream prefix, for the integration role only', async () => {
    for (const name of ['A', 'B', 'C']) expect((await running.http.post('/api/customers', customer(name), finance)).status).toBe(201);
    const first = await running.http.get('/api/events?types=CustomerRegistered&limit=2', integration);
    expect(first.status).toBe(200);
    expect(first.body.events.map((e: { type: string }) => e.type)).toEqual(['CustomerRegistered', 'CustomerRegistered']);
    expect(first.body.events[0]).toMatchObject({
      position: expect.any(Number),
      id: expect.any(String),
      stream: expect.stringMatching(/^customer-/),
      revision: 0,
      metadata: { actor: 'fiona' },
    });
    expect(first.body.next).toBe(first.body.events[1].position);
    const second = await running.http.get(`/api/events?types=CustomerRegistered&limit=2&after=${first.body.next}`, integration);
    expect(second.body.events).toHaveLength(1);
    expect(second.body.next).toBe(second.body.head);
    const drained = await running.http.get(`/api/events?types=CustomerRegistered&after=${second.body.next}`, integration);
    expect(drained.body.events).toEqual([]);

    const byPrefix = await running.http.get('/api/events?streamPrefix=customer-&limit=1000', integration);
    expect(byPrefix.body.events.every((e: { stream: string }) => e.stream.startsWith('customer-'))).toBe(true);
    expect(byPrefix.body.events).toHaveLength(3);

    // Lists answer CSV too (Accept: text/csv).
    const csv = await running.http.get(`/api/customers?group=wholesale&minPosition=${second.body.head}`, finance, { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0].split(',')).toEqual(expect.arrayContaining(['id', 'name', 'customerGroup', 'creditLimit']));
    expect(lines).toHaveLength(4);

    expect((await running.http.get('/api/events', finance)).status).toBe(403);
    expect((await running.http.get('/api/events?after=-1', integration)).status).toBe(400);
    expect((await running.http.get('/api/events?types=a%20b', integration)).status).toBe(400);
    expect((await running.http.get('/api/events?limit=5000', integration)).status).toBe(400);
  });

  it('streams server-sent events: catches up, goes live with heartbeats, and resumes from Last-Event-ID with no gap', async () => {
    const url = `${running.baseUrl}/api/events/subscribe?types=CustomerRegistered&heartbeatMs=100`;
    const auth = { authorization: `Bearer ${integration}` };
    const registered = async () => (await running.http.get('/api/events?types=CustomerRegistered&limit=1000', integration)).body.events;
    const before = await registered();

    const first = await openSse(url, auth);
    expect(first.status).toBe(200);
    await first.until((m) => m.length === before.length);
    expect(first.messages.map((m) => Number(m.id))).toEqual(before.map((e: { position: number }) => e.position));
    const live = await running.http.post('/api/customers', customer('Live'), finance);
    await first.until((m) => m.some((x) => Number(x.id) === live.body.position));
    const entry = JSON.parse(first.messages[first.messages.length - 1].data!);
    expect(entry).toMatchObject({ position: live.body.position, type: 'CustomerRegistered', data: { name: 'Live' } });
    expect(first.messages[first.messages.length - 1].event).toBe('CustomerRegistered');
    await new Promise((r) => setTimeout(r, 350));
    expect(first.comments.filter((c) => c === 'heartbeat').length).toBeGreaterThanOrEqual(2);
    const lastSeen = first.messages[first.messages.length - 1].id!;
    first.close();

    // While the consumer is away, more happens.
    const missed: number[] = [];
    for (const name of ['M1', 'M2', 'M3']) missed.push((await running.http.post('/api/customers', customer(name), finance)).body.position);
    const resumed = await openSse(url, { ...auth, 'last-event-id': lastSeen });
    await resumed.until((m) => m.length >= 3);
    await new Promise((r) => setTimeout(r, 200));
    expect(resumed.messages.map((m) => Number(m.id))).toEqual(missed);
    resumed.close();

    const fromQuery = await openSse(`${url}&after=${missed[1]}`, auth);
    await fromQuery.until((m) => m.length >= 1);
    expect(fromQuery.messages.map((m) => Number(m.id))).toEqual([missed[2]]);
    fromQuery.close();

    const refused = await fetch(url, { headers: { authorization: `Bearer ${finance}` } });
    expect(refused.status).toBe(403);
    const badId = await fetch(url, { headers: { ...auth, 'last-event-id': 'abc' } });
    expect(badId.status).toBe(400);
  });
});
