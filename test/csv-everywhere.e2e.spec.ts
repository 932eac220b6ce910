import { generateDemo } from '@salesline/demo/demo-company';
import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { OpenApiDocument, operationsOf } from './support/openapi-walk';

jest.setTimeout(300_000);

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
const parseCsv = (text: string): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\r' && text[i + 1] === '\n') {
      endField();
      records.push(record);
      record = [];
      i++;
    } else field += c;
  }
  if (field !== '' || record.length) {
    endField();
    records.push(record);
  }
  return records;
};

/** The fields of an answer that say what its figures are on: basis and period. */
const CONTEXT = ['period', 'asOf', 'basis', 'revenueBasis', 'from', 'to'];
const LIST_FIELDS = ['items', 'rows', 'entries', 'events', 'versions'];
/** What the walk does not ask for CSV, and why. */
const NOT_LISTS: Record<string, string> = {
  '/api/events/subscribe': 'a server-sent event stream',
  '/api/order-board/changes': 'a server-sent event stream',
  '/metrics': 'Prometheus text format',
  '/health': 'a probe',
  '/health/live': 'a probe',
  '/asyncapi.json': 'a document',
};

describe('Every list and report answers CSV with a header row naming its basis and period', () => {
  let app: RunningApp;
  let token: string;
  let ids: Record<string, string>;
  let period: string;

  beforeAll(async () => {
    app = await startInProcessApp();
    const demo = await generateDemo(app.baseUrl, ADMIN_TOKEN, {
      seed: 11,
      size: { salespeoplePerTeam: 2, customers: 12, products: 5, months: 4 },
    });
    token = await tokenFor(
      app.http,
      'walker',
      'admin',
      'auditor',
      'analyst',
      'finance',
      'sales_manager',
      'admin_department',
      'integration',
    );
    const log: any[] = [];
    for (let after = 0; ;) {
      const page = await app.http.get(`/api/events?limit=1000&after=${after}`, token);
      if (page.body.events.length === 0) break;
      log.push(...page.body.events);
      after = page.body.next;
    }
    const first = (type: string) => log.find((e) => e.type === type)?.data;
    period = demo.to.slice(0, 7);
    ids = {
      customer: first('CustomerRegistered').customerId,
      product: first('ProductRegistered').productId,
      priceList: first('PriceListCreated').priceListId,
      quote: first('QuoteIssued').quoteId,
      order: first('OrderPlaced').orderId,
      return: first('ReturnRequested')?.returnId,
      employee: first('SalespersonHired').employeeId,
      plan: first('SalesPlanSubmitted').planId,
      meeting: first('MeetingScheduled').meetingId,
      appraisal: first('AppraisalScored').appraisalId,
    };
    const webhook = await app.http.post(
      '/api/webhooks',
      { url: 'http://127.0.0.1:9/hook', eventTypes: ['OrderPlaced'], secret: 'a-long-shared-secret-0123' },
      token,
    );
    expect(webhook.status).toBe(201);
    ids.webhook = webhook.body.id;
    // A territory objection (by the salesperson holding it) and a disciplinary case (a serious violation opens one).
    const territory = first('TerritoryAssigned');
    const salesperson = demo.users.find((u) => u.userId === territory.employeeId)!.token;
    const objection = await app.http.post(
      '/api/territory-objections',
      { employeeId: territory.employeeId, territory: territory.territory, reason: 'Too far from home' },
      salesperson,
    );
    expect(objection.status).toBe(201);
    ids.objection = objection.body.id;
    const violation = await app.http.post(
      '/api/violations',
      {
        employeeId: ids.employee,
        kind: 'other',
        severity: 'serious',
        description: 'Shared a price list',
        evidence: [{ kind: 'witness', reference: 'm-nora' }],
      },
      demo.users.find((u) => u.userId === 'm-nora')!.token,
    );
    expect(violation.status).toBe(201);
    const cases = await app.http.get(`/api/disciplinary-cases?minPosition=${violation.body.position}`, token);
    ids.case = cases.body.items[0].caseId;
  }, 300_000);
  afterAll(() => app?.close());

  /** A real URL for an operation: its path parameters and required queries filled from the company's log. */
  const urlOf = (path: string): string | null => {
    const byPath: [RegExp, string | undefined][] = [
      [/^\/api\/streams\/\{stream\}/, `customer-${ids.customer}`],
      [/\/(customers|receivables)\/\{(id|customerId)\}/, ids.customer],
      [/\/products\/\{id\}/, ids.product],
      [/\/price-lists\/\{id\}/, ids.priceList],
      [/\/quotes\/\{id\}/, ids.quote],
      [/\/orders\/\{id\}/, ids.order],
      [/\/returns\/\{id\}/, ids.return],
      [/\/employees\/\{id\}/, ids.employee],
      [/\/regions\/\{id\}/, 'north'],
      [/\/teams\/\{id\}/, 'north-a'],
      [/\/sales-plans\/\{id\}/, ids.plan],
      [/\/meetings\/\{id\}/, ids.meeting],
      [/\/appraisals\/\{id\}/, ids.appraisal],
      [/\/webhooks\/\{id\}/, ids.webhook],
      [/\/territory-objections\/\{id\}/, ids.objection],
      [/\/disciplinary-cases\/\{id\}/, ids.case],
      [/\/targets\/\{year\}/, period.slice(0, 4)],
    ];
    let url = path
      .replace('/sales-progress/{level}/{id}/unassigned', '/sales-progress/region/north/unassigned')
      .replace('/sales-progress/{level}/{id}', '/sales-progress/team/north-a');
    for (const [pattern, value] of byPath) if (pattern.test(url) && value) url = url.replace(/\{[^}]+\}/, value);
    if (url.includes('{')) return null;
    const query: Record<string, string> = {
      '/api/prices': `customerId=${ids.customer}&productId=${ids.product}`,
      '/api/sales-expenses': `year=${period.slice(0, 4)}`,
      '/api/reports/sales-progress': `period=${period}&level=team`,
      '/api/reports/sales-progress/{level}/{id}': `period=${period}`,
      '/api/reports/sales-progress/{level}/{id}/unassigned': `period=${period}`,
      '/api/reports/appraisals': `period=${period}`,
    };
    return query[path] ? `${url}?${query[path]}` : url;
  };

  it('every GET whose answer holds a list of records answers the same records as CSV, each row naming the basis and period of the answer', async () => {
    const doc: OpenApiDocument = (await app.http.get('/docs-json')).body;
    const unresolved: string[] = [];
    const failures: string[] = [];
    const walked: string[] = [];
    for (const op of operationsOf(doc).filter((o) => o.method === 'GET' && !(o.path in NOT_LISTS))) {
      const url = urlOf(op.path);
      if (!url) {
        unresolved.push(op.path);
        continue;
      }
      const json = await app.http.get(url, token);
      if (json.status !== 200) {
        failures.push(`${op.path}: ${json.status} ${JSON.stringify(json.body).slice(0, 200)}`);
        continue;
      }
      const body = json.body;
      // A list names its records (a single document's nested lists, an order's lines, stay JSON); a drill-down is its row and children.
      const records: unknown[] | undefined = Array.isArray(body)
        ? body
        : (LIST_FIELDS.map((k) => body?.[k]).find(Array.isArray) ??
          (Array.isArray(body?.children) ? [body.row, ...body.children] : undefined));
      if (!records) continue;
      walked.push(op.path);
      const csv = await app.http.get(url, token, { accept: 'text/csv' });
      if (!csv.headers.get('content-type')?.startsWith('text/csv') || typeof csv.body !== 'string') {
        failures.push(`${op.path}: answers ${csv.headers.get('content-type')} to Accept: text/csv`);
        continue;
      }
      const [header, ...rows] = parseCsv(csv.body);
      if (rows.length !== records.length) failures.push(`${op.path}: ${rows.length} CSV rows for ${records.length} records`);
      for (const field of CONTEXT.filter((f) => !Array.isArray(body) && body[f] !== undefined && typeof body[f] !== 'object')) {
        const column = header.indexOf(field);
        if (column < 0) failures.push(`${op.path}: the header does not name ${field} (${header.slice(0, 6).join(',')}…)`);
        else if (rows.some((r) => r[column] !== String(body[field]))) failures.push(`${op.path}: a row's ${field} is not ${body[field]}`);
      }
    }
    expect(failures).toEqual([]);
    expect(unresolved).toEqual([]);
    // The walk reached the lists and reports analysts use (and the audit timelines).
    expect(walked).toEqual(
      expect.arrayContaining([
        '/api/orders',
        '/api/customers',
        '/api/receivables',
        '/api/reports/backlog',
        '/api/reports/sales-progress',
        '/api/reports/sales-progress/{level}/{id}',
        '/api/reports/appraisals',
        '/api/audit/orders/{id}',
        '/api/events',
        '/api/discipline-policies',
      ]),
    );
  });

  it('the two fixed-column reports lead each row with period, as-of date and basis', async () => {
    const progress = await app.http.get(`/api/reports/sales-progress?period=${period}&level=team`, token, { accept: 'text/csv' });
    expect(parseCsv(progress.body)[0].slice(0, 4)).toEqual(['period', 'asOf', 'revenueBasis', 'level']);
    const appraisals = await app.http.get(`/api/reports/appraisals?period=${period}`, token, { accept: 'text/csv' });
    expect(parseCsv(appraisals.body)[0].slice(0, 4)).toEqual(['period', 'periodKind', 'asOf', 'employeeId']);
  });
});
