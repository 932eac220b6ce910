import { connect } from 'node:net';
import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

/** Rate limits, security headers, trace-id checks and server timeouts of the real HTTP server. */
describe('Limits and headers', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startInProcessApp({
      RATE_LIMIT: 'on',
      RATE_LIMIT_PER_IP_PER_MINUTE: '40',
      RATE_LIMIT_PER_USER_PER_MINUTE: '1000',
      REQUEST_TIMEOUT_MS: '1500',
      HEADERS_TIMEOUT_MS: '1000',
    });
  });
  afterAll(() => app.close());

  it('answers API calls with security headers, no X-Powered-By, Cache-Control: no-store, and WWW-Authenticate on 401', async () => {
    const res = await app.http.get('/api/customers', ADMIN_TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const unauthenticated = await app.http.get('/api/customers');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('www-authenticate')).toBe('Bearer realm="salesline"');
    expect(unauthenticated.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses correlation and causation ids that are too long or carry odd characters', async () => {
    for (const [name, value] of [
      ['x-correlation-id', 'x'.repeat(129)],
      ['x-correlation-id', 'a b'],
      ['x-causation-id', '<script>'],
      ['x-causation-id', 'semi;colon'],
    ]) {
      const res = await app.http.get('/api/customers', ADMIN_TOKEN, { [name]: value });
      expect([name, value, res.status, res.body.errors?.[0]?.field]).toEqual([name, value, 400, `header:${name}`]);
    }
    const ok = await app.http.get('/api/customers', ADMIN_TOKEN, { 'x-correlation-id': 'order-desk:42.a_b-c' });
    expect([ok.status, ok.headers.get('x-correlation-id')]).toEqual([200, 'order-desk:42.a_b-c']);
  });

  it('closes a socket whose upload stalls', async () => {
    const { port } = new URL(app.baseUrl);
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /api/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`,
        );
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(Date.now() - started));
      setTimeout(() => reject(new Error('the stalled upload was still open after 8 s')), 8000).unref();
    });
    expect(closedAfter).toBeLessThan(8000);
  }, 15_000);

  it('limits requests per address before authentication: 429 with Retry-After', async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, () => app.http.get('/api/customers', 'not-a-token')));
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(answers.filter((r) => r.status === 401).length).toBeLessThanOrEqual(40);
    expect(limited[0].body.code).toBe('RateLimited');
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('Per-user rate limit', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startInProcessApp({ RATE_LIMIT: 'on', RATE_LIMIT_PER_IP_PER_MINUTE: '1000', RATE_LIMIT_PER_USER_PER_MINUTE: '10' });
  });
  afterAll(() => app.close());

  it('limits each user after authentication, whatever their tokens; others go on', async () => {
    const busy = await tokenFor(app.http, 'busy', 'auditor');
    const calm = await tokenFor(app.http, 'calm', 'auditor');
    const answers = [];
    for (let i = 0; i < 15; i++) answers.push(await app.http.get('/api/customers', busy));
    expect(answers.filter((r) => r.status === 200).length).toBe(10);
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBe(5);
    expect(limited[0].headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await app.http.get('/api/customers', calm)).status).toBe(200);
  });
});
