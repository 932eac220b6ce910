import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { acme } from './support/fixtures';

/** The value of one Prometheus sample line, or undefined. */
const sample = (text: string, name: string, labels = ''): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}` : ''}`) && !l.startsWith('#'));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('GET /metrics (Prometheus)', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startInProcessApp();
  });
  afterAll(() => running.close());

  it('is for the integration role (and admins) only', async () => {
    const salesperson = await tokenFor(running.http, 'sp-anna', 'salesperson');
    const integration = await tokenFor(running.http, 'scraper', 'integration');
    expect((await running.http.get('/metrics')).status).toBe(401);
    expect((await running.http.get('/metrics', salesperson)).status).toBe(403);
    const res = await running.http.get('/metrics', integration);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('shows request latency per route, appends and group-commit sizes, projection lag and the store size', async () => {
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) => running.http.post('/api/customers', { ...acme, name: `C${i}` }, ADMIN_TOKEN)),
    );
    const last = Math.max(...created.map((r) => r.body.position));
    await running.http.get(`/api/customers/${created[0].body.id}?minPosition=${last}`, ADMIN_TOKEN);
    const text = (await running.http.get('/metrics', ADMIN_TOKEN)).body as string;

    expect(sample(text, 'salesline_http_request_duration_seconds_count', 'method="POST",route="/api/customers",status="201"')).toBe(8);
    expect(sample(text, 'salesline_http_request_duration_seconds_count', 'method="GET",route="/api/customers/:id",status="200"')).toBe(1);
    expect(sample(text, 'salesline_appends_total')).toBeGreaterThanOrEqual(8);
    const commits = sample(text, 'salesline_group_commit_appends_count')!;
    expect(commits).toBeGreaterThan(0);
    expect(sample(text, 'salesline_group_commit_appends_sum')).toBe(sample(text, 'salesline_appends_total'));
    expect(sample(text, 'salesline_projection_lag_events', 'consumer="customers",kind="projection"')).toBe(0);
    expect(sample(text, 'salesline_event_store_head_position')).toBeGreaterThanOrEqual(last);
    expect(sample(text, 'salesline_event_store_size_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'salesline_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
