import { addDays, daysBetween } from '@salesline/shared-kernel';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent, request as httpRequest } from 'node:http';
import { Random, seededRandom } from './random';

/**
 * The demo company: a deterministic year of a sales department, recorded through the real command path.
 *
 * Everything goes through the HTTP API of a running Salesline (the same controllers, command bus, deciders
 * and appends as any client), signed in as the person who would do it (salespeople place their own orders,
 * finance invoices and collects, managers review), and every document carries a business date of the
 * simulated year: the twelve full months before the current one. Nothing is written to a read model.
 *
 * The same seed gives the same company; `scale` multiplies salespeople, customers, products and volume.
 */
export type DemoOptions = {
  seed?: number;
  scale?: number;
  /** The API's today (default: the real date, UTC); the year simulated is the twelve full months before its month. */
  today?: string;
  onProgress?: (done: number, total: number) => void;
  /**
   * How many lanes of a day run at once (default 8). A lane is one customer's story (or one region's expenses);
   * its steps run in order, lanes run side by side, and the company is the same whatever the number.
   */
  concurrency?: number;
  /** A smaller company for tests (before scaling): salespeople per team (default 3), customers (300), products (40), months simulated (12, the latest ones). */
  size?: { salespeoplePerTeam?: number; customers?: number; products?: number; months?: number };
};

export type DemoUser = { userId: string; name: string; roles: string[]; token: string; refreshToken?: string };

export type DemoSummary = {
  seed: number;
  scale: number;
  from: string;
  to: string;
  users: DemoUser[];
  counts: Record<string, number>;
  /** Commands the API refused (a business rule said no), by error code: part of a realistic year, listed for the curious. */
  refusals: Record<string, number>;
  lastPosition: number;
};

type Profile = 'star' | 'steady' | 'struggling' | 'late' | 'violation';
type Salesperson = { id: string; name: string; teamId: string; regionId: string; profile: Profile; productivity: number; token: string };
type Behaviour = 'prompt' | 'slow' | 'refuser' | 'risky';
type Customer = {
  id: string;
  name: string;
  group: string;
  ownerId: string;
  creditLimit: number;
  termsDays: number;
  behaviour: Behaviour;
  preferred: Product[];
};
type Product = { id: string; sku: string; name: string; listPrice: number; cost: number };
type LineSpec = { productId: string; quantity: number };
type Step = { name: number[]; lane: string; action: () => Promise<void> };
type StepContext = { name: number[]; children: number; rnd: Random };

/** The lane of steps that must run alone on their day (meetings and conduct touch everyone; appraisals read the month). */
const EXCLUSIVE = '*';
/** One customer's story is one lane: its orders, deliveries, invoices, payments, holds and visits, in order. */
const laneOf = (customer: { id: string }) => `customer:${customer.id}`;
const byName = (a: Step, b: Step) => {
  for (let i = 0; i < Math.min(a.name.length, b.name.length); i++) if (a.name[i] !== b.name[i]) return a.name[i] - b.name[i];
  return a.name.length - b.name.length;
};
/** FNV-1a of the seed and the step's name: the seed of the step's own random draws. */
const stepSeed = (seed: number, name: number[]) => {
  let h = 0x811c9dc5;
  for (const ch of `${seed}:${name.join('.')}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
};

const FIRST_NAMES = ['Anna', 'Ben', 'Cleo', 'Dan', 'Eva', 'Finn', 'Greta', 'Hugo', 'Ida', 'Jon', 'Kari', 'Leo', 'Mia', 'Nils', 'Olga'];
const LAST_NAMES = ['Berg', 'Dahl', 'Eng', 'Holm', 'Lund', 'Ek', 'Moe', 'Sand', 'Lie', 'Vik', 'Aas', 'Strand', 'Ruud', 'Bakke', 'Fjeld'];
const REGIONS = [
  { regionId: 'north', name: 'North', managerId: 'm-nora', managerName: 'Nora Nyberg' },
  { regionId: 'south', name: 'South', managerId: 'm-sam', managerName: 'Sam Solberg' },
  { regionId: 'west', name: 'West', managerId: 'm-wendy', managerName: 'Wendy Wik' },
] as const;
const TEAMS = [
  { teamId: 'north-a', regionId: 'north', name: 'North A' },
  { teamId: 'north-b', regionId: 'north', name: 'North B' },
  { teamId: 'south-a', regionId: 'south', name: 'South A' },
  { teamId: 'south-b', regionId: 'south', name: 'South B' },
  { teamId: 'west-a', regionId: 'west', name: 'West A' },
] as const;
const CATEGORIES = ['Widget', 'Gadget', 'Bolt set', 'Cable', 'Pump', 'Valve', 'Sensor', 'Filter'];
const GRADES = ['Basic', 'Standard', 'Pro', 'Max', 'Eco'];
const COMPANY_WORDS_A = [
  'Acme',
  'Birch',
  'Cedar',
  'Delta',
  'Elm',
  'Fjord',
  'Granite',
  'Harbor',
  'Iris',
  'Juniper',
  'Kestrel',
  'Linden',
  'Maple',
  'Nordic',
  'Oak',
  'Pine',
  'Quarry',
  'Raven',
  'Spruce',
  'Tundra',
];
const COMPANY_WORDS_B = [
  'Trading',
  'Industries',
  'Supply',
  'Works',
  'Group',
  'Partners',
  'Retail',
  'Logistics',
  'Systems',
  'Holding',
  'Engineering',
  'Foods',
  'Marine',
  'Energy',
  'Build',
];
/** Seasonality of the monthly target, basis points of the year by calendar month (sums to 10 000). */
const SEASON_BP = [700, 750, 850, 850, 900, 850, 700, 650, 900, 950, 1000, 900];

const pad = (n: number) => String(n).padStart(2, '0');
const isWeekday = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d !== 0 && d !== 6;
};

/** One HTTP request over kept-alive connections (cheaper per request than fetch for thousands of small calls). */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const send = (
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string; retryAfter?: string }> =>
  new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      url,
      { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            retryAfter: res.headers['retry-after'] as string | undefined,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed as idle just as we reused it: the server never read this request,
      // so it is sent again on a new connection (Node's http docs, "reusedSocket").
      if (req.reusedSocket && (err.code === 'ECONNRESET' || err.message === 'socket hang up'))
        send(method, url, headers, body).then(resolvePromise, reject);
      else reject(err);
    });
    req.end(body);
  });

class RefusedError extends Error {
  constructor(
    readonly status: number,
    readonly body: any,
    what: string,
  ) {
    super(`${what}: ${status} ${JSON.stringify(body)}`);
  }
}

/** Builds the demo year against the API at baseUrl, as the bootstrap admin and the users it issues tokens to. */
export const generateDemo = async (baseUrl: string, adminToken: string, options: DemoOptions = {}): Promise<DemoSummary> => {
  const seed = options.seed ?? 1;
  const scale = Math.max(1, Math.floor(options.scale ?? 1));
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
  // Draws while the year is planned come from the seed in program order; a step of the calendar draws from its
  // own generator, seeded by the seed and the step's place in the calendar, so concurrent lanes cannot reorder
  // anyone's draws (see `at`).
  const planning = seededRandom(seed);
  const steps = new AsyncLocalStorage<StepContext>();
  const current = () => steps.getStore()?.rnd ?? planning;
  const rnd: Random = {
    next: () => current().next(),
    int: (min, max) => current().int(min, max),
    chance: (p) => current().chance(p),
    pick: (items) => current().pick(items),
    sample: (items, k) => current().sample(items, k),
  };
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const firstOfThisMonth = `${today.slice(0, 7)}-01`;
  const to = addDays(firstOfThisMonth, -1);
  const dims = { salespeoplePerTeam: 3, customers: 300, products: 40, months: 12, ...options.size };
  const yearStart = `${+today.slice(0, 4) - 1}-${today.slice(5, 7)}-01`;
  const allMonths = Array.from({ length: 12 }, (_, k) => {
    const y = +yearStart.slice(0, 4) + Math.floor((+yearStart.slice(5, 7) - 1 + k) / 12);
    const m = ((+yearStart.slice(5, 7) - 1 + k) % 12) + 1;
    const start = `${y}-${pad(m)}-01`;
    const end = addDays(m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`, -1);
    return { label: `${y}-${pad(m)}`, year: y, month: m, start, end };
  });
  const months = allMonths.slice(12 - Math.min(12, Math.max(1, dims.months)));
  const from = months[0].start;
  const dayCount = daysBetween(from, to) + 1;
  const indexOf = (date: string) => daysBetween(from, date);
  const years = [...new Set(months.map((m) => m.year))];

  const counts: Record<string, number> = {};
  const timings: Record<string, number> = {};
  const refusals: Record<string, number> = {};
  let lastPosition = 0;
  let done = 0;
  let total = 0;
  const progress = () => options.onProgress?.(done, total);

  // ── HTTP: every write is a real request; a create carries an Idempotency-Key so ids follow from the seed ──
  const request = async (method: string, path: string, token: string, body?: unknown, key?: string): Promise<any> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = `demo-${seed}-${key}`;
    const t0 = performance.now();
    let res = await send(method, `${baseUrl}${path}`, headers, body === undefined ? undefined : JSON.stringify(body));
    // A server with rate limits on (npm start -- --demo): wait as it asks, then send the same request again.
    for (let retry = 0; res.status === 429 && retry < 20; retry++) {
      await new Promise((r) => setTimeout(r, Math.min(60, Number(res.retryAfter) || 1) * 1000));
      res = await send(method, `${baseUrl}${path}`, headers, body === undefined ? undefined : JSON.stringify(body));
    }
    const text = res.text;
    const label = `${method} ${path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/\?.*/, '')}`;
    timings[label] = (timings[label] ?? 0) + performance.now() - t0;
    const parsed = text ? JSON.parse(text) : null;
    if (res.status >= 500) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    if (res.status >= 400) throw new RefusedError(res.status, parsed, `${method} ${path}`);
    if (typeof parsed?.position === 'number') lastPosition = Math.max(lastPosition, parsed.position);
    return parsed;
  };
  /** A write that must succeed (master data): a refusal stops the demo with the API's answer. */
  const must = (kind: string, path: string, token: string, body: unknown, key?: string) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
    return request('POST', path, token, body, key);
  };
  /** A write inside the simulated year: a business refusal is counted and the story goes on without it. */
  const attempt = async (kind: string, path: string, token: string, body: unknown, key?: string): Promise<any | null> => {
    try {
      const out = await request('POST', path, token, body, key);
      counts[kind] = (counts[kind] ?? 0) + 1;
      return out;
    } catch (err) {
      if (!(err instanceof RefusedError)) throw err;
      const code = `${kind}: ${err.body?.code ?? err.status}`;
      refusals[code] = (refusals[code] ?? 0) + 1;
      return null;
    }
  };

  // ── the calendar: steps by business day, run in date order (a step may schedule later ones) ──
  // A step is named by its place in the calendar: the n-th step planned up front is [n], the k-th step scheduled by
  // step [n] is [n, k], and so on. The name orders the steps of a day and seeds the step's random draws, so
  // the same seed gives the same steps, the same draws and the same requests whatever the interleaving.
  const buckets: Step[][] = Array.from({ length: dayCount + 1 }, () => []);
  let planned = 0;
  const at = (date: string, lane: string, action: () => Promise<void>) => {
    const i = indexOf(date);
    if (i < 0 || i >= dayCount) return false;
    const parent = steps.getStore();
    buckets[i].push({ name: parent ? [...parent.name, parent.children++] : [planned++], lane, action });
    total++;
    return true;
  };
  const runStep = (step: Pick<Step, 'name' | 'action'>) =>
    steps.run({ name: step.name, children: 0, rnd: seededRandom(stepSeed(seed, step.name)) }, step.action);
  /** A day's steps: those that must see the day alone first, then every lane at once (each lane's steps in order). */
  const runDay = async (bucket: Step[]) => {
    for (let next = 0; next < bucket.length;) {
      // Steps scheduled for the same day by this round run in the next round.
      const round = bucket.slice(next).sort(byName);
      next = bucket.length;
      for (const step of round.filter((s) => s.lane === EXCLUSIVE)) {
        await runStep(step);
        done++;
      }
      const lanes = new Map<string, Step[]>();
      for (const step of round) if (step.lane !== EXCLUSIVE) lanes.set(step.lane, [...(lanes.get(step.lane) ?? []), step]);
      const queue = [...lanes.values()];
      const worker = async () => {
        for (let lane = queue.shift(); lane; lane = queue.shift())
          for (const step of lane) {
            await runStep(step);
            done++;
            if (done % 25 === 0) progress();
          }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    }
  };
  const nextWeekday = (date: string) => {
    let d = date;
    while (!isWeekday(d)) d = addDays(d, 1);
    return d;
  };
  const weekdaysOf = (month: { start: string; end: string }) => {
    const out: string[] = [];
    for (let d = month.start; d <= month.end; d = addDays(d, 1)) if (isWeekday(d)) out.push(d);
    return out;
  };

  // ── people and their tokens ──
  const users: DemoUser[] = [];
  const issue = async (userId: string, name: string, ...roles: string[]) => {
    const { token, refreshToken } = await request('POST', '/api/auth/tokens', adminToken, { userId, roles });
    users.push({ userId, name, roles, token, ...(refreshToken ? { refreshToken } : {}) });
    return token;
  };
  const finance = await issue('fiona', 'Fiona Falk (finance)', 'finance');
  const adminDept = await issue('ada', 'Ada Aune (administration)', 'admin_department');
  await issue('audrey', 'Audrey Aasen (auditor)', 'auditor');
  await issue('andy', 'Andy Arnesen (analyst)', 'analyst');
  const managers: Record<string, string> = {};
  for (const r of REGIONS) managers[r.regionId] = await issue(r.managerId, `${r.managerName} (sales manager, ${r.name})`, 'sales_manager');
  const director = managers.north;

  // ── organization, from the first day of the year: set up by the administration department, which reaches the
  // whole company (a sales manager changes only the regions and teams they lead, ADR 0019) ──
  for (const r of REGIONS)
    await must('regions', '/api/regions', adminDept, { regionId: r.regionId, name: r.name, managerId: r.managerId, establishedOn: from });
  await must('branches', '/api/regions/north/branches', adminDept, { branchId: 'oslo-1', name: 'Oslo city', city: 'Oslo', openedOn: from });
  await must('agents', '/api/regions/west/agents', adminDept, {
    agentId: 'agent-bergen',
    name: 'Bergen Trading AS',
    commissionBp: 500,
    appointedOn: from,
  });
  for (const t of TEAMS) {
    const region = REGIONS.find((r) => r.regionId === t.regionId)!;
    await must('teams', '/api/teams', adminDept, {
      teamId: t.teamId,
      regionId: t.regionId,
      name: t.name,
      managerId: region.managerId,
      formedOn: from,
    });
  }
  const people: Salesperson[] = [];
  const perTeam = dims.salespeoplePerTeam * scale;
  for (const [ti, t] of TEAMS.entries())
    for (let k = 0; k < perTeam; k++) {
      const n = ti * 3 + (k % 3);
      const round = Math.floor(k / 3);
      const id = `sp-${FIRST_NAMES[n].toLowerCase()}${round ? `-${round + 1}` : ''}`;
      const name = `${FIRST_NAMES[n]} ${LAST_NAMES[n]}${round ? ` ${round + 1}` : ''}`;
      // Anna is the star, Eva struggles, Hugo is often late to meetings, Kari cuts prices she may not cut.
      const profile: Profile =
        round > 0 ? 'steady' : n === 0 ? 'star' : n === 4 ? 'struggling' : n === 7 ? 'late' : n === 10 ? 'violation' : 'steady';
      const productivity = profile === 'star' ? 1.9 : profile === 'struggling' ? 0.45 : 0.85 + rnd.next() * 0.3;
      people.push({ id, name, teamId: t.teamId, regionId: t.regionId, profile, productivity, token: '' });
    }
  for (const p of people) {
    await must('employees', '/api/employees', managers[p.regionId], { employeeId: p.id, name: p.name, teamId: p.teamId, hiredOn: from });
    await must('territories', `/api/employees/${p.id}/territories`, managers[p.regionId], {
      territory: `${p.regionId}-${p.id.slice(3)}`,
      assignedOn: from,
    });
    p.token = await issue(p.id, `${p.name} (salesperson, ${p.teamId})`, 'salesperson');
  }

  // ── products and price lists ──
  const products: Product[] = [];
  for (let i = 0; i < dims.products * scale; i++) {
    const listPrice = rnd.pick([5, 12, 25, 40, 60, 90, 150, 240, 400, 650]) * 100 * rnd.int(8, 12);
    const cost = Math.round((listPrice * rnd.int(52, 74)) / 100);
    const sku = `P-${1000 + i}`;
    const name = `${CATEGORIES[i % CATEGORIES.length]} ${GRADES[Math.floor(i / CATEGORIES.length) % GRADES.length]}${i >= 40 ? ` ${Math.floor(i / 40) + 1}` : ''}`;
    const { id } = await must(
      'products',
      '/api/products',
      director,
      { sku, name, unit: 'pcs', listPrice, standardCost: cost },
      `product-${i}`,
    );
    products.push({ id, sku, name, listPrice, cost });
  }
  const groupList = async (name: string, customerGroup: string, discountPct: number, count: number) => {
    const items = rnd.sample(products, Math.min(count, products.length)).map((p) => ({
      productId: p.id,
      breaks: [
        { minQuantity: 1, unitPrice: Math.round((p.listPrice * (100 - discountPct)) / 100) },
        { minQuantity: 10, unitPrice: Math.round((p.listPrice * (100 - discountPct - 4)) / 100) },
      ],
    }));
    await must(
      'priceLists',
      '/api/price-lists',
      director,
      { name, scope: { kind: 'group', customerGroup }, validFrom: from, validTo: null, items },
      `pricelist-${customerGroup}`,
    );
  };
  await groupList('Wholesale prices', 'wholesale', 6, 20);
  await groupList('Distributor prices', 'distributor', 10, 25);

  // ── customers: limits, terms and how they pay ──
  const customers: Customer[] = [];
  for (let i = 0; i < dims.customers * scale; i++) {
    const owner = people[i % people.length];
    const group = rnd.chance(0.45) ? 'retail' : rnd.chance(0.7) ? 'wholesale' : 'distributor';
    const creditLimit =
      (group === 'retail' ? rnd.int(2, 8) * 5_000 : group === 'wholesale' ? rnd.int(4, 16) * 10_000 : rnd.int(8, 25) * 20_000) * 100;
    const roll = rnd.next();
    const behaviour: Behaviour = roll < 0.05 ? 'refuser' : roll < 0.1 ? 'risky' : roll < 0.25 ? 'slow' : 'prompt';
    const name = `${COMPANY_WORDS_A[i % COMPANY_WORDS_A.length]} ${COMPANY_WORDS_B[Math.floor(i / COMPANY_WORDS_A.length) % COMPANY_WORDS_B.length]}${i >= 300 ? ` ${Math.floor(i / 300) + 1}` : ''}`;
    const body = {
      name,
      customerGroup: group,
      territory: owner.regionId,
      ownerId: owner.id,
      creditLimit,
      paymentTermsDays: rnd.pick([14, 30, 30, 30, 45, 60]),
      registeredOn: from,
    };
    const { id } = await must('customers', '/api/customers', finance, body, `customer-${i}`);
    customers.push({
      id,
      name,
      group,
      ownerId: owner.id,
      creditLimit,
      termsDays: body.paymentTermsDays,
      behaviour,
      preferred: rnd.sample(products, 6),
    });
  }
  const big = customers.filter((c) => c.group === 'distributor').slice(0, 3);
  for (const [k, c] of big.entries()) {
    const items = c.preferred
      .slice(0, 3)
      .map((p) => ({ productId: p.id, breaks: [{ minQuantity: 1, unitPrice: Math.round(p.listPrice * 0.85) }] }));
    await must(
      'priceLists',
      '/api/price-lists',
      director,
      { name: `${c.name} contract`, scope: { kind: 'customer', customerId: c.id }, validFrom: from, validTo: null, items },
      `pricelist-customer-${k}`,
    );
  }
  const ownedBy = new Map(people.map((p) => [p.id, customers.filter((c) => c.ownerId === p.id)]));

  // ── rules of conduct and appraisal, in effect from the first day ──
  await must('disciplinePolicies', '/api/discipline-policies', adminDept, {
    effectiveFrom: from,
    rules: [
      {
        ruleId: 'late-2-in-month',
        when: { kind: 'lateness_count', window: 'calendar_month', countsAs: ['late', 'left_early'], atLeast: 2 },
        opens: 'investigation',
      },
      { ruleId: 'serious-violation', when: { kind: 'violation', severity: 'serious' }, opens: 'investigation' },
    ],
  });
  const bands = (...b: [number, number][]) => ({ kind: 'bands', bands: b.map(([atLeast, points]) => ({ atLeast, points })) });
  const linear = (lo: number, hi: number) => ({ kind: 'linear', from: lo, to: hi, pointsAtFrom: 0, pointsAtTo: 100, capped: true });
  await must('appraisalSchemes', '/api/appraisal-schemes', adminDept, {
    effectiveFrom: from,
    items: [
      { itemId: 'target', name: 'Target achievement', weight: 40, source: 'target_achievement', standard: linear(0, 10000) },
      {
        itemId: 'margin',
        name: 'Gross margin',
        weight: 10,
        source: 'gross_margin_achievement',
        standard: bands([10000, 100], [8000, 60], [5000, 20]),
      },
      { itemId: 'cash', name: 'Cash collection', weight: 10, source: 'cash_collection', standard: bands([9000, 100], [5000, 50]) },
      { itemId: 'service', name: 'Service feedback', weight: 10, source: 'service_feedback', standard: linear(100, 500) },
      { itemId: 'retention', name: 'Customer retention', weight: 10, source: 'retention', standard: bands([5000, 100], [2500, 50]) },
      { itemId: 'attendance', name: 'Punctuality', weight: 10, source: 'attendance', standard: bands([10000, 100], [8000, 50]) },
      { itemId: 'discipline', name: 'Discipline', weight: 10, source: 'discipline', standard: bands([0, 100], [1, 40], [2, 0]) },
    ],
    rewardAtOrAbove: 80,
    improvementPlanBelow: 50,
    reward: { kind: 'bonus', amount: 500_00 },
    yearEnd: { yearAchievementWeightBp: 6000, monthlyAverageWeightBp: 4000 },
  });

  // ── the year's sales plan, drawn up front so that the targets can be set against it ──
  type PlannedOrder = { n: number; person: Salesperson; customer: Customer; date: string; lines: LineSpec[]; viaQuote: boolean };
  const linesFor = (customer: Customer): LineSpec[] =>
    rnd.sample(customer.preferred, rnd.int(1, 3)).map((p) => ({
      productId: p.id,
      quantity: Math.max(1, Math.round((rnd.int(20, 120) * 10_000) / Math.max(p.listPrice, 2_000) / 10)),
    }));
  const plan: PlannedOrder[] = [];
  const expected = new Map<string, { revenue: number; quantity: number; margin: number }>();
  let orderNo = 0;
  for (const month of months) {
    const days = weekdaysOf(month);
    const season = SEASON_BP[month.month - 1] / 833;
    for (const person of people) {
      const count = Math.max(0, Math.round(2.6 * person.productivity * season * (0.75 + rnd.next() * 0.5)));
      for (let k = 0; k < count; k++) {
        const own = ownedBy.get(person.id)!;
        const customer = own.length ? rnd.pick(own) : rnd.pick(customers);
        const order = {
          n: orderNo++,
          person,
          customer,
          date: rnd.pick(days.slice(0, -4)),
          lines: linesFor(customer),
          viaQuote: rnd.chance(0.25),
        };
        plan.push(order);
        const e = expected.get(person.id) ?? { revenue: 0, quantity: 0, margin: 0 };
        for (const l of order.lines) {
          const p = products.find((x) => x.id === l.productId)!;
          e.revenue += p.listPrice * l.quantity;
          e.quantity += l.quantity;
          e.margin += (p.listPrice - p.cost) * l.quantity;
        }
        expected.set(person.id, e);
      }
    }
  }

  // ── targets for every calendar year the simulated months touch, cascaded and finalized ──
  const steady = people.filter((p) => p.profile === 'steady').map((p) => expected.get(p.id) ?? { revenue: 0, quantity: 0, margin: 0 });
  const avg = (f: (x: { revenue: number; quantity: number; margin: number }) => number) =>
    Math.round(steady.reduce((a, x) => a + f(x), 0) / Math.max(1, steady.length));
  // A steady salesperson is meant to reach about 100 %: their annual target is the steady average, a little rounded.
  // (at list price, less the ~10 % that price lists and returns take off).
  const personTarget = {
    revenue: Math.round((avg((x) => x.revenue) * 0.9) / 1_000_00) * 1_000_00,
    quantity: Math.round((avg((x) => x.quantity) * 0.9) / 10) * 10,
    grossMargin: Math.round((avg((x) => x.margin) * 0.85) / 1_000_00) * 1_000_00,
    expenseBudget: 6_000_00,
  };
  type Fig = { revenue: number; quantity: number; grossMargin: number };
  const monthsOf = (annual: Fig): Fig[] => {
    const out = SEASON_BP.map((bp) => ({
      revenue: Math.floor((annual.revenue * bp) / 10_000),
      quantity: Math.floor((annual.quantity * bp) / 10_000),
      grossMargin: Math.floor((annual.grossMargin * bp) / 10_000),
    }));
    const last = out[11];
    last.revenue += annual.revenue - out.reduce((a, m) => a + m.revenue, 0);
    last.quantity += annual.quantity - out.reduce((a, m) => a + m.quantity, 0);
    last.grossMargin += annual.grossMargin - out.reduce((a, m) => a + m.grossMargin, 0);
    return out;
  };
  const times = (n: number) => ({
    revenue: personTarget.revenue * n,
    quantity: personTarget.quantity * n,
    grossMargin: personTarget.grossMargin * n,
    expenseBudget: personTarget.expenseBudget * n,
  });
  const sumMonths = (ms: Fig[][]) =>
    Array.from({ length: 12 }, (_, i) =>
      ms.reduce(
        (a, m) => ({
          revenue: a.revenue + m[i].revenue,
          quantity: a.quantity + m[i].quantity,
          grossMargin: a.grossMargin + m[i].grossMargin,
        }),
        { revenue: 0, quantity: 0, grossMargin: 0 },
      ),
    );
  const spMonths = monthsOf(personTarget);
  for (const year of years) {
    const teamSize = (teamId: string) => people.filter((p) => p.teamId === teamId).length;
    const regionSize = (regionId: string) => people.filter((p) => p.regionId === regionId).length;
    await must('targets', `/api/targets/${year}/company`, finance, times(people.length));
    for (const r of REGIONS) {
      const size = regionSize(r.regionId);
      // Region targets come from finance, which plans the company; each manager cascades their own region.
      await must('targets', `/api/targets/${year}/assignments`, finance, {
        nodeKind: 'region',
        nodeId: r.regionId,
        ...times(size),
        monthly: { kind: 'explicit', months: sumMonths(Array.from({ length: size }, () => spMonths)) },
      });
    }
    for (const t of TEAMS) {
      const size = teamSize(t.teamId);
      await must('targets', `/api/targets/${year}/assignments`, managers[t.regionId], {
        nodeKind: 'team',
        nodeId: t.teamId,
        ...times(size),
        monthly: { kind: 'explicit', months: sumMonths(Array.from({ length: size }, () => spMonths)) },
      });
    }
    for (const p of people)
      await must('targets', `/api/targets/${year}/assignments`, managers[p.regionId], {
        nodeKind: 'salesperson',
        nodeId: p.id,
        parentId: p.teamId,
        ...times(1),
        monthly: { kind: 'explicit', months: spMonths },
      });
    await must('targets', `/api/targets/${year}/finalize`, finance, {});
  }

  // ── the order-to-cash story of one order, step by step, each step on its business date ──
  const openHolds: string[] = [];
  const afterTheYear: (() => Promise<void>)[] = [];
  /** The customer pays the invoice's amount as the order board shows it (read on the day of payment, never guessed). */
  const pay = (
    order: { id: string; customer: Customer },
    invoice: { invoiceId: string; position: number },
    invoiceDate: string,
    n: string,
  ) => {
    const customer = order.customer;
    const due = addDays(invoiceDate, customer.termsDays);
    if (customer.behaviour === 'refuser' && rnd.chance(0.45)) return 'refuse';
    const paidOn =
      customer.behaviour === 'slow' || customer.behaviour === 'risky' ? addDays(due, rnd.int(10, 55)) : addDays(due, rnd.int(-8, 4));
    at(paidOn < invoiceDate ? invoiceDate : paidOn, laneOf(customer), async () => {
      const doc = await request('GET', `/api/orders/${order.id}?minPosition=${invoice.position}`, finance);
      const amount = (doc.invoices as { invoiceId: string; amount: number }[]).find((i) => i.invoiceId === invoice.invoiceId)?.amount ?? 0;
      if (amount > 0)
        await attempt(
          'payments',
          `/api/customers/${customer.id}/payments`,
          finance,
          { amount, receivedOn: paidOn < invoiceDate ? invoiceDate : paidOn, reference: `Bank ${n}` },
          `payment-${n}`,
        );
    });
    return 'paid';
  };
  const invoiceStep = (order: { id: string; customer: Customer; n: number }, date: string, k: number) =>
    at(date, laneOf(order.customer), async () => {
      const inv = await attempt('invoices', `/api/orders/${order.id}/invoices`, finance, { invoiceDate: date }, `invoice-${order.n}-${k}`);
      if (!inv) return;
      if (pay(order, inv, date, `${order.n}-${k}`) === 'refuse') {
        const refusedOn = addDays(date, rnd.int(8, 20));
        at(refusedOn, laneOf(order.customer), async () => {
          await attempt('refusals', `/api/invoices/${inv.invoiceId}/refusals`, finance, {
            reason: rnd.pick(['Goods arrived damaged', 'Disputes the quantity delivered', 'Refuses to pay: says it never ordered']),
            refusedOn,
          });
        });
        if (rnd.chance(0.4)) {
          const settledOn = addDays(refusedOn, rnd.int(20, 40));
          at(
            settledOn,
            laneOf(order.customer),
            async () =>
              void (await attempt('disputesSettled', `/api/invoices/${inv.invoiceId}/settle-dispute`, finance, {
                outcome: 'customer_pays',
                settledOn,
              })),
          );
        }
      }
    });
  const fulfil = (order: { id: string; customer: Customer; n: number; person: Salesperson; lines: LineSpec[] }, ready: string) => {
    if (rnd.chance(0.03)) {
      at(addDays(ready, 1), laneOf(order.customer), async () => {
        await attempt('cancellations', `/api/orders/${order.id}/cancel`, order.person.token, {
          reason: 'Customer changed plans',
          cancelledOn: addDays(ready, 1),
        });
      });
      return;
    }
    const split = rnd.chance(0.08) && order.lines.some((l) => l.quantity > 1);
    const first = nextWeekday(addDays(ready, rnd.int(1, 5)));
    const deliveries = split
      ? [
          { date: first, lines: order.lines.map((l, i) => ({ lineId: `L${i + 1}`, quantity: Math.ceil(l.quantity / 2) })) },
          {
            date: nextWeekday(addDays(first, rnd.int(6, 14))),
            lines: order.lines
              .map((l, i) => ({ lineId: `L${i + 1}`, quantity: l.quantity - Math.ceil(l.quantity / 2) }))
              .filter((l) => l.quantity > 0),
          },
        ]
      : [{ date: first, lines: order.lines.map((l, i) => ({ lineId: `L${i + 1}`, quantity: l.quantity })) }];
    deliveries.forEach((d, k) =>
      at(d.date, laneOf(order.customer), async () => {
        const ok = await attempt(
          'deliveries',
          `/api/orders/${order.id}/deliveries`,
          order.person.token,
          {
            billOfLading: `BOL-${seed}-${order.n}-${k + 1}`,
            carrier: rnd.pick(['DHL', 'DB Schenker', 'PostNord', 'Bring']),
            deliveryDate: d.date,
            lines: d.lines,
          },
          `delivery-${order.n}-${k}`,
        );
        if (ok) invoiceStep(order, nextWeekday(addDays(d.date, 1)), k);
      }),
    );
    const last = deliveries[deliveries.length - 1].date;
    if (rnd.chance(0.05)) {
      const requestedOn = addDays(last, rnd.int(5, 15));
      const quantity = Math.min(order.lines[0].quantity, rnd.int(1, 3));
      at(requestedOn, laneOf(order.customer), async () => {
        const ret = await attempt(
          'returns',
          '/api/returns',
          order.person.token,
          {
            orderId: order.id,
            reason: rnd.pick(['Damaged in transit', 'Wrong variant', 'Surplus stock']),
            requestedOn,
            lines: [{ lineId: 'L1', quantity }],
          },
          `return-${order.n}`,
        );
        if (!ret) return;
        const manager = managers[order.person.regionId];
        at(addDays(requestedOn, 1), laneOf(order.customer), async () => {
          if (!(await attempt('returnsAccepted', `/api/returns/${ret.id}/accept`, manager, {}))) return;
          const receivedOn = addDays(requestedOn, 4);
          at(
            receivedOn,
            laneOf(order.customer),
            async () => void (await attempt('returnsReceived', `/api/returns/${ret.id}/receive`, manager, { receivedOn })),
          );
        });
      });
    }
  };
  /** After placing: held orders wait for finance (most are released within days), then delivery and billing. */
  const afterPlacing = (
    order: { id: string; customer: Customer; n: number; person: Salesperson; lines: LineSpec[] },
    placed: { status?: string },
    date: string,
  ) => {
    if (placed.status === 'on_credit_hold') {
      const releasedOn = nextWeekday(addDays(date, rnd.int(2, 6)));
      if (
        rnd.chance(0.75) &&
        at(releasedOn, laneOf(order.customer), async () => {
          if (
            await attempt('creditReleases', `/api/orders/${order.id}/release-credit-hold`, finance, {
              reason: 'Customer confirmed payment plan',
              releasedOn,
            })
          )
            fulfil(order, releasedOn);
        })
      )
        return;
      openHolds.push(order.id);
      return;
    }
    fulfil(order, date);
  };

  for (const o of plan) {
    if (o.viaQuote) {
      const quoteDate = addDays(o.date, -rnd.int(4, 10));
      const outcome = rnd.next();
      at(quoteDate < from ? from : quoteDate, laneOf(o.customer), async () => {
        const qd = quoteDate < from ? from : quoteDate;
        const q = await attempt(
          'quotes',
          '/api/quotes',
          o.person.token,
          {
            customerId: o.customer.id,
            quoteDate: qd,
            validUntil: addDays(qd, 30),
            lines: o.lines.map((l, i) => ({ lineId: `L${i + 1}`, ...l })),
          },
          `quote-${o.n}`,
        );
        if (!q) return;
        if (outcome < 0.65)
          at(o.date, laneOf(o.customer), async () => {
            if (!(await attempt('quotesAccepted', `/api/quotes/${q.id}/accept`, o.person.token, { acceptedOn: o.date }))) return;
            const conv = await attempt('quotesConverted', `/api/quotes/${q.id}/convert`, o.person.token, { orderDate: o.date });
            if (conv) afterPlacing({ ...o, id: conv.orderId }, { status: conv.status }, o.date);
          });
        else if (outcome < 0.85)
          at(
            addDays(o.date, 2),
            laneOf(o.customer),
            async () =>
              void (await attempt('quotesRejected', `/api/quotes/${q.id}/reject`, o.person.token, {
                reason: rnd.pick(['Too expensive', 'Went with a competitor', 'Project postponed']),
                rejectedOn: addDays(o.date, 2),
              })),
          );
      });
      continue;
    }
    at(o.date, laneOf(o.customer), async () => {
      const placed = await attempt(
        'orders',
        '/api/orders',
        o.person.token,
        { customerId: o.customer.id, orderDate: o.date, lines: o.lines },
        `order-${o.n}`,
      );
      if (placed) afterPlacing({ ...o, id: placed.id }, placed, o.date);
    });
  }
  // Open quotes at the end of the year: the pipeline.
  for (const person of people)
    for (let k = 0; k < Math.round(3 * person.productivity); k++) {
      const customer = rnd.pick(ownedBy.get(person.id)!.length ? ownedBy.get(person.id)! : customers);
      const quoteDate = addDays(to, -rnd.int(2, 20));
      const lines = linesFor(customer);
      at(
        quoteDate,
        laneOf(customer),
        async () =>
          void (await attempt(
            'quotes',
            '/api/quotes',
            person.token,
            { customerId: customer.id, quoteDate, validUntil: addDays(today, 30), lines },
            `open-quote-${person.id}-${k}`,
          )),
      );
    }

  // ── money on account, holds and the violation ──
  for (const c of customers.filter((x) => x.group === 'distributor' && rnd.chance(0.3))) {
    const receivedOn = rnd.pick(weekdaysOf(rnd.pick(months)));
    const amount = rnd.int(2, 10) * 1_000_00;
    at(
      receivedOn,
      laneOf(c),
      async () =>
        void (await attempt(
          'deposits',
          `/api/customers/${c.id}/deposits`,
          finance,
          { amount, receivedOn, reference: 'Advance payment' },
          `deposit-${c.id}`,
        )),
    );
  }
  for (const c of customers.filter((x) => x.behaviour === 'risky')) {
    const blockedOn = rnd.pick(weekdaysOf(months[Math.min(rnd.int(2, 10), months.length - 1)]));
    at(
      blockedOn,
      laneOf(c),
      async () =>
        void (await attempt('customerHolds', `/api/customers/${c.id}/block`, finance, { reason: 'Collections: invoices overdue' })),
    );
    if (rnd.chance(0.4))
      at(
        addDays(blockedOn, rnd.int(30, 60)),
        laneOf(c),
        async () =>
          void (await attempt('customerHoldsLifted', `/api/customers/${c.id}/unblock`, finance, { reason: 'Overdue balance paid' })),
      );
  }
  const offender = people.find((p) => p.profile === 'violation');
  if (offender) {
    const date = weekdaysOf(months[Math.min(6, months.length - 1)])[5];
    const customer = ownedBy.get(offender.id)![0];
    const product = customer.preferred[0];
    at(date, laneOf(customer), async () => {
      const cheap = await attempt(
        'orders',
        '/api/orders',
        offender.token,
        {
          customerId: customer.id,
          orderDate: date,
          lines: [{ productId: product.id, quantity: 20, unitPrice: Math.round(product.cost * 0.8), overrideReason: 'Match a competitor' }],
        },
        `order-violation`,
      );
      if (!cheap) return;
      const manager = managers[offender.regionId];
      const doc = await request('GET', `/api/orders/${cheap.id}?minPosition=${cheap.position}`, manager);
      const overrideId = doc.overrides?.[0]?.overrideId;
      if (!overrideId) return;
      const next = addDays(date, 1);
      at(next, EXCLUSIVE, async () => {
        await attempt('priceOverridesRejected', `/api/price-overrides/${overrideId}/reject`, manager, {
          reason: 'Below cost: not allowed',
        });
        await attempt(
          'violations',
          '/api/violations',
          manager,
          {
            employeeId: offender.id,
            kind: 'unauthorized_price_cut',
            severity: 'serious',
            description: `Offered ${product.name} below standard cost to win a deal`,
            evidence: [{ kind: 'price_override_request', reference: overrideId, note: 'rejected by the manager' }],
            occurredOn: date,
          },
          'violation',
        );
        afterPlacing(
          { id: cheap.id, customer, n: -1, person: offender, lines: [{ productId: product.id, quantity: 20 }] },
          { status: 'confirmed' },
          next,
        );
      });
    });
  }

  // ── each month: visits, feedback, expenses, meetings; after it, the appraisal and its review ──
  const outcomes = [
    'Presented the new range',
    'Reorder discussed',
    'Complaint handled',
    'Price negotiation',
    'Introduced a colleague',
    'Site visit',
  ];
  for (const [mi, month] of months.entries()) {
    const days = weekdaysOf(month);
    for (const person of people) {
      const own = ownedBy.get(person.id)!;
      const visits = person.profile === 'struggling' ? 1 : person.profile === 'star' ? 3 : rnd.int(1, 2);
      for (let k = 0; k < visits; k++) {
        const date = rnd.pick(days);
        const customer = rnd.pick(own.length ? own : customers);
        at(
          date,
          `visits:${person.id}`, // one stream of visits per salesperson
          async () =>
            void (await attempt(
              'visits',
              '/api/visits',
              person.token,
              {
                customerId: customer.id,
                outcome: rnd.pick(outcomes),
                visitedOn: date,
              },
              `visit-${person.id}-${month.label}-${k}`,
            )),
        );
      }
      const score = () => (person.profile === 'star' ? rnd.int(4, 5) : person.profile === 'struggling' ? rnd.int(2, 3) : rnd.int(3, 5));
      const fbDate = rnd.pick(days);
      const fbCustomer = rnd.pick(own.length ? own : customers);
      at(
        fbDate,
        `feedback:${person.id}`, // one stream of feedback per salesperson
        async () =>
          void (await attempt(
            'serviceFeedback',
            '/api/service-feedback',
            adminDept,
            {
              employeeId: person.id,
              customerId: fbCustomer.id,
              score: score(),
              receivedOn: fbDate,
              comment: 'Customer survey',
            },
            `feedback-${person.id}-${month.label}`,
          )),
      );
      const spentOn = rnd.pick(days);
      const amount = rnd.int(300, 1200) * 100;
      if (mi % 2 === 0)
        at(
          spentOn,
          `expenses:${person.regionId}`,
          async () =>
            void (await attempt(
              'salesExpenses',
              '/api/sales-expenses',
              person.token,
              {
                employeeId: person.id,
                amount,
                category: rnd.pick(['travel', 'travel', 'entertainment', 'communication']),
                spentOn,
              },
              `expense-${person.id}-${month.label}`,
            )),
        );
    }
    // Two meetings a month for everyone: the company meeting and a department meeting.
    for (const [k, kind] of (['company', 'department'] as const).entries()) {
      const date = days[k === 0 ? 0 : Math.floor(days.length / 2)];
      at(date, EXCLUSIVE, async () => {
        const meeting = await attempt(
          'meetings',
          '/api/meetings',
          adminDept,
          {
            kind,
            title: `${kind === 'company' ? 'Company meeting' : 'Department meeting'} ${month.label}`,
            scheduledFor: date,
            startsAt: '08:30',
            attendees: people.map((p) => p.id),
          },
          `meeting-${month.label}-${kind}`,
        );
        if (!meeting) return;
        for (const p of people) {
          const late = p.profile === 'late' ? rnd.chance(0.7) : rnd.chance(0.04);
          await attempt(
            'attendance',
            `/api/meetings/${meeting.id}/attendance`,
            adminDept,
            late ? { employeeId: p.id, status: 'late', minutesLate: rnd.int(5, 40) } : { employeeId: p.id, status: 'attended' },
          );
        }
      });
    }
    // The appraisal of the month, run and reviewed in the first days of the next one.
    const isLast = mi === months.length - 1;
    const appraise = async () => {
      // The company's appraisal is run by the administration department: a sales manager's run covers their own people.
      const run = await attempt('appraisalRuns', '/api/appraisals/run', adminDept, { period: month.label, kind: 'monthly' });
      if (!run) return;
      const reviewOn = isLast ? to : nextWeekday(addDays(month.end, 3));
      for (const r of run.results as { employeeId: string; appraisalId: string; scored: boolean; outcome?: string }[]) {
        if (!r.scored) continue;
        const person = people.find((p) => p.id === r.employeeId)!;
        const reviewDate = reviewOn > to ? to : reviewOn;
        const deadline = addDays(reviewDate, 45);
        const body =
          r.outcome === 'improvement_plan'
            ? {
                feedback: 'Below the standard this month; we agreed on a plan.',
                reviewedOn: reviewDate,
                improvementPlan: {
                  deadline,
                  goals: [
                    { description: 'Reach 70 % of the monthly revenue target', measure: 'target achievement', target: '70 %' },
                    { description: 'Visit every customer in the plan', measure: 'visits', target: '100 %' },
                  ],
                },
              }
            : { feedback: r.outcome === 'reward' ? 'Outstanding month.' : 'Solid month; keep going.', reviewedOn: reviewDate };
        const reviewed = await attempt('appraisalReviews', `/api/appraisals/${r.appraisalId}/review`, managers[person.regionId], body);
        if (reviewed?.improvementPlanId && deadline <= to)
          at(
            deadline,
            EXCLUSIVE,
            async () =>
              void (await attempt(
                'improvementPlanReviews',
                `/api/improvement-plans/${reviewed.improvementPlanId}/review`,
                managers[person.regionId],
                { outcome: rnd.chance(0.4) ? 'met' : 'not_met', note: 'Reviewed at the deadline', reviewedOn: deadline },
              )),
          );
        if (reviewed && rnd.chance(0.3))
          await attempt('appraisalAcknowledgements', `/api/appraisals/${r.appraisalId}/acknowledge`, person.token, {
            comment: 'Read and agreed',
          });
      }
    };
    // The last month is appraised once every fact of it is in (after the day loop); the others early in the next month.
    if (isLast) afterTheYear.push(appraise);
    else at(nextWeekday(addDays(month.end, 1)), EXCLUSIVE, appraise);
  }

  // ── run the year, day by day ──
  progress();
  for (let i = 0; i < dayCount; i++) await runDay(buckets[i]);
  for (const step of afterTheYear) await runStep({ name: [planned++], action: step });

  // ── this month: sales plans for the current month, some approved, one returned ──
  for (const [k, person] of people.entries()) {
    const own = ownedBy.get(person.id)!;
    const visitList = own.slice(0, 4).map((c) => c.id);
    const submitted = await attempt(
      'salesPlans',
      '/api/sales-plans',
      person.token,
      {
        period: today.slice(0, 7),
        customersToVisit: visitList,
        plannedVisits: visitList.length + 2,
        expectedOrders: own.slice(0, 2).map((c) => ({ customerId: c.id, amount: 5_000_00, quantity: 40 })),
        strategy:
          person.profile === 'struggling'
            ? 'Win back lapsed customers with the distributor prices'
            : 'Grow the top customers; introduce the new range',
      },
      `sales-plan-${person.id}-${today.slice(0, 7)}`,
    );
    if (!submitted) continue;
    if (k % 5 === 4)
      await attempt('salesPlansReturned', `/api/sales-plans/${submitted.id}/return`, managers[person.regionId], {
        comments: 'Add more visits to lapsed customers',
      });
    else if (k % 3 !== 2)
      await attempt('salesPlansApproved', `/api/sales-plans/${submitted.id}/approve`, managers[person.regionId], { comments: 'Good plan' });
  }
  progress();
  counts.openCreditHolds = openHolds.length;
  if (process.env.DEMO_PROFILE)
    console.log(
      Object.entries(timings)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([k, v]) => `${k} ${Math.round(v)}ms`)
        .join('\n'),
    );
  return { seed, scale, from, to, users, counts, refusals, lastPosition };
};
