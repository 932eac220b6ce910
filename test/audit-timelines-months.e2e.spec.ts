import { generateDemo } from '@salesline/demo/demo-company';
import { addDays } from '@salesline/shared-kernel';
import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

jest.setTimeout(300_000);

type FeedEvent = {
  position: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: any;
  metadata: { actor: string; correlationId: string; causationId: string | null };
  recordedAt: string;
};
type Entry = {
  position: number;
  event: { id: string; type: string; data: unknown };
  stream: string;
  revision: number;
  actor: string;
  businessDate: string | null;
  recordedAt: string;
  correlationId: string;
  causationId: string | null;
};

/** Whether a value names `id` anywhere inside it (a field, a list, a line). */
const names = (value: unknown, ids: ReadonlySet<string>): boolean =>
  typeof value === 'string'
    ? ids.has(value)
    : Array.isArray(value)
      ? value.some((v) => names(v, ids))
      : value !== null && typeof value === 'object' && Object.values(value).some((v) => names(v, ids));

/**
 * Months of a company's activity recorded through the API (the demo generator: hiring, targets,
 * quotes, orders, deliveries, invoices, payments, returns, visits, meetings, attendance, feedback,
 * appraisals and their reviews, plans), plus a transfer, a violation and the case it opens. The
 * auditors' timelines of an order and of an employee are then compared with the raw log, read in
 * full through the feed: each event about the subject, found by what its stream and data name,
 * is in the timeline exactly once, oldest first, with the facts of the raw event.
 */
describe('Audit timelines after months of activity, compared with every raw stream', () => {
  let app: RunningApp;
  let auditor: string;
  let log: FeedEvent[];
  let employeeId: string;

  const allPages = async (path: string, list: 'entries' | 'asActor') => {
    const entries: Entry[] = [];
    let after = 0;
    for (let pages = 0; ; pages++) {
      const cursor = list === 'entries' ? `after=${after}` : `actorAfter=${after}`;
      const page = await app.http.get(`${path}?limit=40&${cursor}&minPosition=${log.at(-1)!.position}`, auditor);
      expect(page.status).toBe(200);
      const body = list === 'entries' ? page.body : page.body.asActor;
      entries.push(...body.entries);
      if (body.next === null) return { entries, pages: pages + 1 };
      after = body.next;
    }
  };

  /** The whole log through the feed, once nothing more is being appended (process managers settled). */
  const readLog = async (): Promise<FeedEvent[]> => {
    const integration = await tokenFor(app.http, 'feed-reader', 'integration');
    let previous = -1;
    for (;;) {
      const events: FeedEvent[] = [];
      let after = 0;
      for (;;) {
        const page = await app.http.get(`/api/events?after=${after}&limit=1000`, integration);
        expect(page.status).toBe(200);
        if (page.body.events.length === 0) break;
        events.push(...page.body.events);
        after = page.body.next;
      }
      if (events.length === previous) return events;
      previous = events.length;
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  /** Each entry is the raw event it stands for, with its facts. */
  const expectFaithful = (entries: Entry[], raw: Map<number, FeedEvent>) => {
    for (const entry of entries) {
      const e = raw.get(entry.position)!;
      expect(entry).toMatchObject({
        event: { id: e.id, type: e.type, data: e.data },
        stream: e.stream,
        revision: e.revision,
        actor: e.metadata.actor,
        recordedAt: e.recordedAt,
        correlationId: e.metadata.correlationId,
        causationId: e.metadata.causationId ?? null,
      });
    }
  };
  /**
   * Every entry carries the business date of its fact: target assignments, meeting schedulings and the
   * bill-of-lading registry's claims carry theirs too since issue 8 §3 (ADR 0022), so no event is undated.
   */
  const expectDated = (entries: Entry[]) => {
    expect([...new Set(entries.filter((e) => e.businessDate === null).map((e) => e.event.type))]).toEqual([]);
    for (const e of entries) if (e.businessDate !== null) expect(e.businessDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  };
  /** What is missing from a timeline and what it holds that is not about its subject. */
  const compare = (entries: Entry[], about: FeedEvent[]) => {
    const timeline = new Set(positionsOf(entries));
    const expected = new Set(positionsOf(about));
    return {
      missing: about.filter((e) => !timeline.has(e.position)).map((e) => `${e.position} ${e.type} ${e.stream}`),
      extra: entries.filter((e) => !expected.has(e.position)).map((e) => `${e.position} ${e.event.type} ${e.stream}`),
    };
  };
  const positionsOf = (entries: { position: number }[]) => entries.map((e) => e.position);
  const ascending = (xs: number[]) => [...xs].sort((a, b) => a - b);

  beforeAll(async () => {
    app = await startInProcessApp();
    const demo = await generateDemo(app.baseUrl, ADMIN_TOKEN, {
      seed: 11,
      size: { salespeoplePerTeam: 2, customers: 12, products: 5, months: 4 },
    });
    const token = (userId: string) => demo.users.find((u) => u.userId === userId)!.token;
    auditor = token('audrey');
    const manager = token('m-nora');
    const today = demo.to;
    // The salesperson of the north with the most orders: transferred to the other northern team, and a violation opens a case.
    const placed = new Map<string, number>();
    const integration = await tokenFor(app.http, 'feed-probe', 'integration');
    const orders = await app.http.get(`/api/events?types=OrderPlaced&limit=1000`, integration);
    for (const e of orders.body.events as FeedEvent[])
      if (e.metadata.actor.startsWith('sp-')) placed.set(e.metadata.actor, (placed.get(e.metadata.actor) ?? 0) + 1);
    const employees = await app.http.get(`/api/employees?regionId=north&limit=100&minPosition=${demo.lastPosition}`, manager);
    const north = (employees.body.items as { employeeId: string; teamId: string }[]).sort(
      (a, b) => (placed.get(b.employeeId) ?? 0) - (placed.get(a.employeeId) ?? 0),
    )[0];
    employeeId = north.employeeId;
    const transfer = await app.http.post(
      `/api/employees/${employeeId}/transfer`,
      { toTeamId: north.teamId === 'north-a' ? 'north-b' : 'north-a', effectiveOn: today },
      manager,
    );
    expect(transfer.status).toBe(200);
    const violation = await app.http.post(
      '/api/violations',
      {
        employeeId,
        kind: 'other',
        severity: 'serious',
        description: 'Shared a customer price list with a competitor',
        evidence: [{ kind: 'witness', reference: 'm-nora' }],
        occurredOn: addDays(today, -1),
      },
      manager,
    );
    expect(violation.status).toBe(201);
    const cases = await app.http.get(`/api/disciplinary-cases?employeeId=${employeeId}&minPosition=${violation.body.position}`, manager);
    expect(cases.body.items.length).toBeGreaterThan(0);
    for (const c of cases.body.items as { caseId: string }[]) {
      const closed = await app.http.post(
        `/api/disciplinary-cases/${c.caseId}/close`,
        { outcome: 'warning', note: 'Heard; written warning', closedOn: today },
        manager,
      );
      expect(closed.status).toBe(200);
    }
    log = await readLog();
  }, 300_000);
  afterAll(() => app?.close());

  it("an order's timeline holds every event about it, its quote, invoices, returns and credit notes in any stream, once, oldest first", async () => {
    // The order of the log that went furthest: returned goods and a payment allocated to its invoice.
    const orderIds = [...new Set(log.filter((e) => e.type === 'OrderPlaced').map((e) => e.data.orderId as string))];
    const documentsOf = (orderId: string) => {
      const own = log.filter((e) => e.stream === `order-${orderId}`);
      const ids = new Set<string>([orderId]);
      for (const e of own)
        for (const field of ['quoteId', 'invoiceId', 'returnId', 'creditNoteId']) if (e.data[field]) ids.add(e.data[field]);
      // Credit notes are named with their return (CreditNotePosted on the account).
      for (const e of log) if (e.data?.returnId && ids.has(e.data.returnId) && e.data.creditNoteId) ids.add(e.data.creditNoteId);
      return ids;
    };
    const aboutOrder = (orderId: string) => {
      const ids = documentsOf(orderId);
      return log.filter((e) => e.stream === `order-${orderId}` || [...ids].some((id) => e.stream === `quote-${id}`) || names(e.data, ids));
    };
    // Two orders: the one returned and credited with the most kinds of fact, and the one converted from a quote with the most.
    const richest = (having: string) =>
      orderIds
        .map((id) => ({ id, types: new Set(aboutOrder(id).map((e) => e.type)) }))
        .filter((o) => o.types.has(having))
        .sort((a, b) => b.types.size - a.types.size)[0]?.id;
    const chosen = [richest('CreditNotePosted'), richest('QuoteConverted')];
    expect(chosen.every(Boolean)).toBe(true);
    const types = new Set<string>();
    const streams = new Set<string>();
    for (const orderId of chosen as string[]) {
      const about = aboutOrder(orderId);
      const { entries } = await allPages(`/api/audit/orders/${orderId}`, 'entries');
      for (const e of entries) types.add(e.event.type);
      for (const e of entries) streams.add(e.stream.slice(0, e.stream.indexOf('-')));
      expect(compare(entries, about)).toEqual({ missing: [], extra: [] });
      const timeline = positionsOf(entries);
      expect(timeline).toEqual(ascending(timeline));
      expect(new Set(timeline).size).toBe(timeline.length);
      expectFaithful(entries, new Map(log.map((e) => [e.position, e])));
      expectDated(entries);
      // Facts recorded by others than the salesperson (finance invoices, the process managers post) keep their own actor and causation.
      expect(new Set(entries.map((e) => e.actor)).size).toBeGreaterThan(1);
      expect(entries.some((e) => e.causationId !== null)).toBe(true);
    }
    for (const type of [
      'QuoteIssued',
      'QuoteConverted',
      'OrderPlaced',
      'CreditReserved',
      'GoodsDelivered',
      'BillOfLadingReserved',
      'InvoiceIssued',
      'InvoicePosted',
      'PaymentAllocated',
      'ReturnRequested',
      'ReturnAccepted',
      'ReturnedGoodsReceived',
      'CreditNoteIssued',
      'CreditNotePosted',
    ])
      expect([type, types.has(type)]).toEqual([type, true]);
    // From four kinds of stream: the order's, its quote's, the customer's account and the bill-of-lading registry.
    expect(streams).toEqual(new Set(['order', 'quote', 'account', 'bill']));
  });

  it("an employee's timeline holds every event about them in any stream, once, oldest first, with the raw event's facts", async () => {
    const ids = new Set([employeeId]);
    const own = new Set(['employee', 'employee-violations', 'employee-visits', 'service-feedback'].map((c) => `${c}-${employeeId}`));
    // Streams of documents that are the employee's (a plan, an appraisal, a case, an improvement plan): every event in them is about the employee.
    const owned = new Set(
      log
        .filter(
          (e) => /^(sales-plan|appraisal|disciplinary-case|improvement-plan|territory-objection)-/.test(e.stream) && names(e.data, ids),
        )
        .map((e) => e.stream),
    );
    // The user account of the same name is a subject of its own (access, not the employee's file): its tokens are left out.
    const about = log.filter((e) => !e.stream.startsWith('user-') && (own.has(e.stream) || owned.has(e.stream) || names(e.data, ids)));
    const { entries, pages } = await allPages(`/api/audit/employees/${employeeId}`, 'entries');
    expect(pages).toBeGreaterThan(2);
    const types = new Set(entries.map((e) => e.event.type));
    for (const type of [
      'SalespersonHired',
      'SalespersonTransferred',
      'TerritoryAssigned',
      'TargetAssigned',
      'SalesPlanSubmitted',
      'CustomerVisited',
      'MeetingScheduled',
      'AttendanceRecorded',
      'ServiceFeedbackRecorded',
      'ViolationRecorded',
      'DisciplinaryCaseOpened',
      'DisciplinaryCaseClosed',
      'AppraisalScored',
      'AppraisalReviewed',
      'OrderPlaced',
    ])
      expect([type, types.has(type)]).toEqual([type, true]);
    expect(compare(entries, about)).toEqual({ missing: [], extra: [] });
    const timeline = positionsOf(entries);
    expect(timeline).toEqual(ascending(timeline));
    expect(new Set(timeline).size).toBe(timeline.length);
    expectFaithful(entries, new Map(log.map((e) => [e.position, e])));
    expectDated(entries);
  });

  it("the employee's second list is exactly the raw events they caused as actor, oldest first", async () => {
    const { entries } = await allPages(`/api/audit/employees/${employeeId}`, 'asActor');
    const caused = log.filter((e) => e.metadata.actor === employeeId);
    expect(caused.length).toBeGreaterThan(10);
    expect(positionsOf(entries)).toEqual(positionsOf(caused));
    expectFaithful(entries, new Map(log.map((e) => [e.position, e])));
  });
});
