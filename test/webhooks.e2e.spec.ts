import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

type Arrival = { id: string; stream: string; revision: number; position: number; signed: boolean; idempotencyKey: string };

/** A real HTTP receiver whose behaviour the test scripts request by request. */
const receiver = async (secret: string) => {
  const arrivals: Arrival[] = [];
  let behave: (n: number) => { status: number; delayMs?: number } = () => ({ status: 200 });
  let requests = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const n = ++requests;
      const { status, delayMs } = behave(n);
      const answer = () => {
        if (status === 200) {
          const entry = JSON.parse(body);
          const expected = `sha256=${createHmac('sha256', secret).update(`${req.headers['x-salesline-timestamp']}.${body}`).digest('hex')}`;
          arrivals.push({
            id: entry.id,
            stream: entry.stream,
            revision: entry.revision,
            position: entry.position,
            signed: req.headers['x-salesline-signature'] === expected,
            idempotencyKey: String(req.headers['idempotency-key']),
          });
        }
        if (!res.destroyed) res.writeHead(status).end();
      };
      if (delayMs) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  return {
    url,
    arrivals,
    requests: () => requests,
    script: (fn: typeof behave) => (behave = fn),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
};

const customer = (name: string) => ({
  name,
  customerGroup: 'wholesale',
  territory: 'north',
  ownerId: 'sp-anna',
  creditLimit: 0,
  paymentTermsDays: 30,
});

const waitFor = async (what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('Webhooks: signed, retried, parked and replayed deliveries from a checkpointed outbox', () => {
  let app: RunningApp;
  let finance: string;
  let integration: string;
  const secret = 'a-shared-secret-of-some-length';

  beforeAll(async () => {
    app = await startInProcessApp({ WEBHOOK_MAX_ATTEMPTS: '8', WEBHOOK_RETRY_BASE_MS: '40', WEBHOOK_TIMEOUT_MS: '300' });
    finance = await tokenFor(app.http, 'fiona', 'finance');
    integration = await tokenFor(app.http, 'erp', 'integration');
  }, 60_000);
  afterAll(() => app.close());

  const expectedEvents = async (types: string) =>
    (await app.http.get(`/api/events?types=${types}&limit=1000`, integration)).body.events as Array<{
      id: string;
      stream: string;
      revision: number;
    }>;

  it('refuses bad registrations', async () => {
    const body = { url: 'http://127.0.0.1:9/x', eventTypes: ['CustomerRegistered'], secret };
    expect((await app.http.post('/api/webhooks', body, finance)).status).toBe(403);
    expect((await app.http.post('/api/webhooks', { ...body, url: 'ftp://x' }, ADMIN_TOKEN)).body.code).toBe('InvalidWebhookUrl');
    expect((await app.http.post('/api/webhooks', { ...body, secret: 'short' }, ADMIN_TOKEN)).status).toBe(400);
    expect((await app.http.post('/api/webhooks', { ...body, eventTypes: [] }, ADMIN_TOKEN)).status).toBe(400);
  });

  it('delivers every event, in order per stream, exactly once by id, through failures and a slow receiver, without slowing commands', async () => {
    const hook = await receiver(secret);
    // 4 failures, then 3 answers slower than the 300 ms timeout (processed, but the sender gives up: duplicates), then healthy.
    hook.script((n) => (n <= 4 ? { status: 500 } : n <= 7 ? { status: 200, delayMs: 600 } : { status: 200 }));
    const registered = await app.http.post(
      '/api/webhooks',
      { url: hook.url, eventTypes: ['CustomerRegistered', 'CustomerDetailsChanged'], secret },
      ADMIN_TOKEN,
      { 'idempotency-key': 'hook-1' },
    );
    expect(registered.status).toBe(201);
    const slowest: number[] = [];
    for (let i = 0; i < 6; i++) {
      const started = Date.now();
      const created = await app.http.post('/api/customers', customer(`C${i}`), finance);
      expect(created.status).toBe(201);
      expect((await app.http.patch(`/api/customers/${created.body.id}`, { name: `C${i} renamed` }, finance)).status).toBe(200);
      slowest.push(Date.now() - started);
    }
    // Commands never wait for deliveries (which take seconds here: 5 failures with backoff, 3 timeouts).
    expect(Math.max(...slowest)).toBeLessThan(2500);

    const expected = await expectedEvents('CustomerRegistered,CustomerDetailsChanged');
    expect(expected.length).toBeGreaterThanOrEqual(12);
    await waitFor('every event to arrive', () => new Set(hook.arrivals.map((a) => a.id)).size >= expected.length);
    const firstArrivals = hook.arrivals.filter((a, i) => hook.arrivals.findIndex((b) => b.id === a.id) === i);
    expect(firstArrivals.map((a) => a.id).sort()).toEqual(expected.map((e) => e.id).sort());
    // In order per stream: revisions of each stream arrive ascending.
    const byStream = new Map<string, number[]>();
    for (const a of firstArrivals) byStream.set(a.stream, [...(byStream.get(a.stream) ?? []), a.revision]);
    for (const [, revisions] of byStream) expect(revisions).toEqual([...revisions].sort((x, y) => x - y));
    expect(hook.arrivals.every((a) => a.signed && a.idempotencyKey === a.id)).toBe(true);
    expect(hook.arrivals.length).toBeGreaterThan(firstArrivals.length); // the slow answers were redelivered: at least once, deduplicated by id

    const status = await app.http.get(`/api/webhooks/${registered.body.id}`, ADMIN_TOKEN);
    expect(status.body).toMatchObject({ status: 'active', deadLetter: null, url: hook.url });
    expect(status.body.encryptedSecret).toBeUndefined();
    await hook.close();
  }, 60_000);

  it('parks a webhook after N failures, lists its dead letter, and replays it when the receiver is back', async () => {
    const hook = await receiver(secret);
    let down = true;
    hook.script(() => (down ? { status: 503 } : { status: 200 }));
    const registered = await app.http.post('/api/webhooks', { url: hook.url, eventTypes: ['CustomerRegistered'], secret }, ADMIN_TOKEN);
    const id = registered.body.id;
    await waitFor(
      'the webhook to be parked',
      async () => (await app.http.get(`/api/webhooks/${id}`, ADMIN_TOKEN)).body.status === 'parked',
    );
    expect(hook.requests()).toBe(8);
    const letters = await app.http.get(`/api/webhooks/${id}/dead-letters`, ADMIN_TOKEN);
    const expected = await expectedEvents('CustomerRegistered');
    expect(letters.body.items).toEqual([
      expect.objectContaining({ eventId: expected[0].id, eventType: 'CustomerRegistered', attempts: 8, lastError: 'HTTP 503' }),
    ]);
    // Parked: nothing more is attempted, and commands go on.
    expect((await app.http.post('/api/customers', customer('While parked'), finance)).status).toBe(201);
    await new Promise((r) => setTimeout(r, 400));
    expect(hook.requests()).toBe(8);

    down = false;
    expect((await app.http.post(`/api/webhooks/${id}/replay`, {}, finance)).status).toBe(403);
    expect((await app.http.post(`/api/webhooks/${id}/replay`, {}, ADMIN_TOKEN)).status).toBe(200);
    const all = await expectedEvents('CustomerRegistered');
    await waitFor('the replayed events to arrive', () => new Set(hook.arrivals.map((a) => a.id)).size >= all.length);
    // At least once: a delivery whose answer came too late on a loaded machine is sent again; the receiver keeps
    // the first of each id, and those arrive in the log's order.
    expect([...new Set(hook.arrivals.map((a) => a.id))]).toEqual(all.map((e) => e.id));
    expect((await app.http.post(`/api/webhooks/${id}/replay`, {}, ADMIN_TOKEN)).body.code).toBe('WebhookNotParked');
    const history = await app.http.get(`/api/webhooks/${id}/dead-letters`, ADMIN_TOKEN);
    expect(history.body).toMatchObject({ status: 'active', items: [], history: [expect.objectContaining({ replayedBy: 'admin' })] });
    expect((await app.http.get('/api/webhooks/nope/dead-letters', ADMIN_TOKEN)).body.code).toBe('WebhookNotFound');
    await hook.close();
  }, 60_000);
});
