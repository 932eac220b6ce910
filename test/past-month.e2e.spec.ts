import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { tokensFor, writes } from './support/scenario';

/**
 * Issue 8 §3: a whole past month of quote to cash, and of the people contexts, entered after the fact. Every command carries its
 * business date; afterwards every business date in every stream (fields named …On / …Date, except the
 * computed due date) lies in that month — never today, the day it was recorded (metadata.occurredAt).
 */
describe('A past month entered after the fact keeps its business dates in every stream', () => {
  let app: RunningApp;
  let manager: string;
  let anna: string;
  let finance: string;
  let auditor: string;
  const today = new Date().toISOString().slice(0, 10);
  // the calendar month two months back
  const first = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 3, 1));
  const month = first.toISOString().slice(0, 7);
  const d = (n: number) => `${month}-${String(n).padStart(2, '0')}`;
  const written = writes();
  const ok = written.ok;

  /** Every business date in an event's data: fields named …On / …Date, except the computed due date. */
  const datesOf = (value: unknown, path: string, out: [string, string][]) => {
    if (Array.isArray(value)) value.forEach((v, i) => datesOf(v, `${path}[${i}]`, out));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) datesOf(v, `${path}.${k}`, out);
    else if (typeof value === 'string' && /(On|Date)$/.test(path) && !path.endsWith('.dueDate')) out.push([path, value]);
  };

  beforeAll(async () => {
    app = await startInProcessApp();
    ({ manager, anna, finance, auditor } = await tokensFor(app.http, 'manager', 'anna', 'finance', 'auditor'));
  }, 60_000);
  afterAll(() => app.close());

  it(`records ${'every step'} on its own day of the month, and consequences on the day of their cause`, async () => {
    const { http } = app;
    const customer = ok(
      await http.post(
        '/api/customers',
        {
          name: 'Backlog GmbH',
          customerGroup: 'trade',
          territory: 'north',
          ownerId: 'anna',
          creditLimit: 5_000,
          paymentTermsDays: 30,
          registeredOn: d(1),
        },
        finance,
      ),
    ).id;
    const product = ok(
      await http.post(
        '/api/products',
        { sku: 'PM-1', name: 'Valve', unit: 'pcs', listPrice: 1_000, standardCost: 500, registeredOn: d(1) },
        manager,
      ),
    ).id;
    const priceList = ok(
      await http.post(
        '/api/price-lists',
        {
          name: 'Trade',
          scope: { kind: 'group', customerGroup: 'trade' },
          validFrom: d(1),
          // valid through the month only: a revision priced on today's date would miss it
          validTo: d(28),
          items: [{ productId: product, breaks: [{ minQuantity: 1, unitPrice: 950 }] }],
        },
        manager,
      ),
    ).id;
    ok(await http.post(`/api/products/${product}/cost`, { standardCost: 520, changedOn: d(2) }, finance));
    ok(await http.post(`/api/customers/${customer}/deposits`, { amount: 1_000, receivedOn: d(2), reference: 'advance' }, finance), [201]);

    // A quote with a discount the salesperson may not grant: the request carries the quote's date.
    const quote = ok(
      await http.post(
        '/api/quotes',
        {
          customerId: customer,
          quoteDate: d(3),
          lines: [{ productId: product, quantity: 4, unitPrice: 900, overrideReason: 'loyal customer' }],
        },
        anna,
      ),
      [201],
    );
    expect(quote.status).toBe('awaiting_price_approval');
    let q = ok(await http.get(`/api/quotes/${quote.id}?minPosition=${written.last}`, manager));
    expect(q.overrides[0]).toMatchObject({
      requestedOn: d(3),
      requestedBy: 'anna',
      reason: 'loyal customer',
      discountBp: 527,
      belowCost: false,
    });
    ok(
      await http.post(
        `/api/quotes/${quote.id}/revise`,
        { revisedOn: d(4), lines: [{ productId: product, quantity: 5, unitPrice: 900, overrideReason: 'loyal customer' }] },
        anna,
      ),
    );
    q = ok(await http.get(`/api/quotes/${quote.id}?minPosition=${written.last}`, manager));
    // the revision is priced on its own date: the month's price list (950), not today's list price (1_000)
    expect(q.overrides.find((o: { status: string }) => o.status === 'pending')).toMatchObject({ discountBp: 527, requestedOn: d(4) });
    ok(
      await http.post(
        `/api/quotes/${quote.id}/price-overrides/${q.overrides[0].overrideId}/approve`,
        { reason: 'volume next quarter', approvedOn: d(5) },
        manager,
      ),
    );
    ok(await http.post(`/api/quotes/${quote.id}/accept`, { acceptedOn: d(6) }, anna));
    // 5 × 900 = 4_500 − 1_000 deposit ≤ 5_000: confirmed on the order date.
    const converted = ok(await http.post(`/api/quotes/${quote.id}/convert`, { orderDate: d(7) }, anna), [201]);
    expect(converted.status).toBe('to_deliver_and_bill');
    const o1 = converted.orderId;

    // A direct order beyond the limit, with a discount: held on its date, the override requested on its date.
    const o2 = ok(
      await http.post(
        '/api/orders',
        { customerId: customer, orderDate: d(8), lines: [{ productId: product, quantity: 3, unitPrice: 900 }] },
        anna,
      ),
      [201],
    );
    expect(o2.status).toBe('awaiting_price_approval');
    const board2 = ok(await http.get(`/api/orders/${o2.id}?minPosition=${written.last}`, manager));
    ok(
      await http.post(
        `/api/price-overrides/${board2.pendingOverrides[0].overrideId}/approve`,
        { reason: 'match competitor', approvedOn: d(9) },
        manager,
      ),
    );
    ok(await http.post(`/api/orders/${o2.id}/release-credit-hold`, { reason: 'guarantee received', releasedOn: d(10) }, finance));

    ok(
      await http.post(
        `/api/orders/${o1}/deliveries`,
        { billOfLading: 'PM-B1', carrier: 'DHL', deliveryDate: d(11), lines: [{ lineId: 'L1', quantity: 5 }] },
        manager,
      ),
    );
    ok(
      await http.post(
        `/api/orders/${o2.id}/deliveries`,
        { billOfLading: 'PM-B2', carrier: 'DHL', deliveryDate: d(12), lines: [{ lineId: 'L1', quantity: 2 }] },
        manager,
      ),
    );
    const inv1 = ok(await http.post(`/api/orders/${o1}/invoices`, { invoiceDate: d(13) }, finance), [201]);
    ok(await http.post(`/api/orders/${o2.id}/invoices`, { invoiceDate: d(13) }, finance), [201]);
    ok(await http.post(`/api/orders/${o2.id}/cancel`, { reason: 'customer needs only 2', cancelledOn: d(14) }, manager));

    const r1 = ok(
      await http.post('/api/returns', { orderId: o1, reason: 'damaged', requestedOn: d(15), lines: [{ lineId: 'L1', quantity: 1 }] }, anna),
      [201],
    );
    ok(await http.post(`/api/returns/${r1.id}/accept`, { acceptedOn: d(16) }, manager));
    // the replacement finds the customer over the limit (order 2 was released beyond it): it waits for finance
    expect(ok(await http.post(`/api/returns/${r1.id}/receive`, { receivedOn: d(17) }, manager))).toMatchObject({
      status: 'received',
      orderStatus: 'on_credit_hold',
    });
    const r2 = ok(
      await http.post(
        '/api/returns',
        { orderId: o1, reason: 'changed mind', requestedOn: d(18), replacement: false, lines: [{ lineId: 'L1', quantity: 1 }] },
        anna,
      ),
      [201],
    );
    ok(await http.post(`/api/returns/${r2.id}/refuse`, { reason: 'outside the return window', refusedOn: d(19) }, manager));
    ok(await http.post(`/api/orders/${o1}/release-credit-hold`, { reason: 'replacement of damaged goods', releasedOn: d(19) }, finance));
    ok(
      await http.post(
        `/api/orders/${o1}/deliveries`,
        { billOfLading: 'PM-B3', carrier: 'DHL', deliveryDate: d(20), lines: [{ lineId: 'L1', quantity: 1 }] },
        manager,
      ),
    );

    ok(await http.post(`/api/customers/${customer}/payments`, { amount: 2_000, receivedOn: d(21), reference: 'wire' }, finance), [201]);
    ok(await http.post(`/api/invoices/${inv1.invoiceId}/refusals`, { reason: 'quality', refusedOn: d(22) }, finance), [201]);
    ok(await http.post(`/api/invoices/${inv1.invoiceId}/settle-dispute`, { outcome: 'customer_pays', settledOn: d(23) }, finance));
    const deposit = ok(
      await http.post(`/api/customers/${customer}/deposits`, { amount: 100, receivedOn: d(24), reference: 'top-up' }, finance),
      [201],
    );
    ok(
      await http.post(
        `/api/customers/${customer}/allocations`,
        { sourceId: deposit.id, sourceKind: 'deposit', invoiceId: inv1.invoiceId, amount: 100, allocatedOn: d(25) },
        finance,
      ),
      [201],
    );

    // The customer's file changes on its days of the month too (ADR 0115).
    ok(
      await http.post(
        `/api/customers/${customer}/credit-limit`,
        { creditLimit: 8_000, reason: 'monthly review', changedOn: d(26) },
        finance,
      ),
    );
    ok(await http.post(`/api/customers/${customer}/block`, { reason: 'dispute pending', blockedOn: d(27) }, finance));
    ok(await http.post(`/api/customers/${customer}/unblock`, { reason: 'dispute settled', unblockedOn: d(28) }, finance));
    ok(await http.patch(`/api/customers/${customer}`, { territory: 'south', changedOn: d(28) }, manager));

    // One line id from quote to order to delivery, invoice and return (ADR 0113): the quote's L1 is the order's L1.
    const quoted = ok(await http.get(`/api/quotes/${quote.id}?minPosition=${written.last}`, manager));
    expect(quoted.lines.map((l: { lineId: string }) => l.lineId)).toEqual(['L1']);
    const o1Events = ok(await http.get(`/api/streams/order-${o1}`, auditor)).events as { type: string; data: any }[];
    const lineIdsOf = (type: string) => o1Events.filter((e) => e.type === type).flatMap((e) => e.data.lines.map((l: any) => l.lineId));
    for (const type of ['OrderPlaced', 'GoodsDelivered', 'InvoiceIssued', 'ReturnRequested', 'ReturnedGoodsReceived'])
      expect([type, [...new Set(lineIdsOf(type))]]).toEqual([type, ['L1']]);

    // Every business date in every stream of the month's story.
    const streams = [
      `customer-${customer}`,
      `product-${product}`,
      `price-list-${priceList}`,
      `quote-${quote.id}`,
      `order-${o1}`,
      `order-${o2.id}`,
      `account-${customer}`,
    ];
    const seenTypes = new Set<string>();
    for (const stream of streams) {
      const { events } = ok(await http.get(`/api/streams/${stream}`, auditor));
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) {
        seenTypes.add(e.type);
        const dates: [string, string][] = [];
        datesOf(e.data, `${stream}:${e.type}`, dates);
        // every fact of the customer's file, its account and the price list names its day
        if (['customer-', 'account-', 'price-list-'].some((prefix) => stream.startsWith(prefix)))
          expect([e.type, dates.length > 0]).toEqual([e.type, true]);
        for (const [path, value] of dates)
          expect(`${path} = ${value}`).toBe(`${path} = ${value.startsWith(month) ? value : `a day of ${month}`}`);
        // recorded today, dated in the month
        expect(e.metadata.occurredAt.slice(0, 10)).toBe(today);
      }
    }
    // the consequences the issue names were all written, and checked above
    for (const type of [
      'QuotePriceOverrideRequested',
      'QuotePriceOverrideApproved',
      'PriceOverrideRequested',
      'PriceOverrideApproved',
      'OrderConfirmed',
      'OrderPutOnCreditHold',
      'CreditHoldReleased',
      'CreditReserved',
      'CreditReservationRefused',
      'ReturnAccepted',
      'ReturnRefused',
      'ReturnedGoodsReceived',
      'CreditNotePosted',
      'PaymentAllocated',
      'ProductCostChanged',
      'PriceListCreated',
      'CreditLimitChanged',
      'CustomerBlocked',
      'CustomerUnblocked',
      'CustomerDetailsChanged',
    ]) {
      expect(seenTypes).toContain(type);
    }
    void ADMIN_TOKEN;
  }, 120_000);

  it('records the people contexts of the month on its own days too: organization, targets, plans, expenses, conduct and its appraisal', async () => {
    const { http } = app;
    const admin = await tokenFor(http, 'ada', 'admin_department');
    const integration = await tokenFor(http, 'feed', 'integration');
    const from = ok(await http.get('/api/events?after=0&limit=1', integration)).head as number;
    const year = Number(month.slice(0, 4));
    // the month after: an appraisal of the month is scored, reviewed and acknowledged after it ends
    const next = new Date(Date.UTC(year, Number(month.slice(5, 7)), 1)).toISOString().slice(0, 7);
    const n = (day: number) => `${next}-${String(day).padStart(2, '0')}`;

    // The organization, as it stood from the first of the month.
    ok(await http.post('/api/regions', { regionId: 'pm-north', name: 'North', managerId: 'mia', establishedOn: d(1) }, manager));
    ok(await http.post('/api/teams', { teamId: 'pm-a', regionId: 'pm-north', name: 'North A', managerId: 'mia', formedOn: d(1) }, manager));
    ok(await http.post('/api/employees', { employeeId: 'anna', name: 'Anna Berg', teamId: 'pm-a', hiredOn: d(1) }, manager));
    ok(await http.post('/api/employees/anna/territories', { territory: 'oslo', assignedOn: d(1) }, manager));
    const customer = ok(
      await http.post(
        '/api/customers',
        {
          name: 'People AS',
          customerGroup: 'trade',
          territory: 'oslo',
          ownerId: 'anna',
          creditLimit: 1_000,
          paymentTermsDays: 30,
          registeredOn: d(1),
        },
        finance,
      ),
    ).id;
    ok(await http.post('/api/visits', { employeeId: 'anna', customerId: customer, visitedOn: d(6), outcome: 'Demo done' }, anna));

    // Territory objections: resolved, withdrawn, and one escalated on the day it fell due (raised + 10 days), then decided.
    const objection = async (raisedOn: string) =>
      ok(await http.post('/api/territory-objections', { employeeId: 'anna', territory: 'oslo', reason: 'Too far', raisedOn }, anna))
        .id as string;
    const resolved = await objection(d(2));
    ok(
      await http.post(
        `/api/territory-objections/${resolved}/resolve`,
        { decision: 'objection_rejected', note: 'Keep it', resolvedOn: d(3) },
        manager,
      ),
    );
    const withdrawn = await objection(d(4));
    ok(await http.post(`/api/territory-objections/${withdrawn}/withdraw`, { withdrawnOn: d(5) }, anna));
    const escalated = await objection(d(5));
    expect(ok(await http.post('/api/territory-objections/escalate', {}, integration)).escalated).toEqual([escalated]);
    ok(
      await http.post(
        `/api/territory-objections/${escalated}/decision`,
        { decision: 'support_assigned', note: 'A driver', decidedOn: d(16) },
        admin,
      ),
    );

    // The year's targets, planned in the month: a withdrawn and repeated assignment, then finalized.
    const figures = { revenue: 120_000_00, quantity: 1_200, grossMargin: 40_000_00, expenseBudget: 6_000_00 };
    const even = { kind: 'even' };
    ok(await http.post(`/api/targets/${year}/company`, { ...figures, setOn: d(1) }, finance));
    ok(
      await http.post(
        `/api/targets/${year}/assignments`,
        { nodeKind: 'region', nodeId: 'pm-north', revenue: figures.revenue, monthly: even, assignedOn: d(1) },
        manager,
      ),
    );
    ok(
      await http.post(
        `/api/targets/${year}/assignments`,
        { nodeKind: 'team', nodeId: 'pm-a', revenue: figures.revenue, monthly: even, assignedOn: d(1) },
        manager,
      ),
    );
    const salesperson = { nodeKind: 'salesperson', nodeId: 'anna', revenue: figures.revenue, monthly: even };
    ok(await http.post(`/api/targets/${year}/assignments`, { ...salesperson, assignedOn: d(1) }, manager));
    ok(
      await http.post(`/api/targets/${year}/assignments/withdraw`, { nodeKind: 'salesperson', nodeId: 'anna', withdrawnOn: d(2) }, manager),
    );
    ok(await http.post(`/api/targets/${year}/assignments`, { ...salesperson, assignedOn: d(2) }, manager));
    ok(await http.post(`/api/targets/${year}/finalize`, { finalizedOn: d(3) }, manager));

    // The month's plan, an expense booked twice and reversed.
    const plan = ok(
      await http.post(
        '/api/sales-plans',
        {
          period: month,
          submittedOn: d(1),
          customersToVisit: [customer],
          plannedVisits: 2,
          expectedOrders: [],
          strategy: 'Visit People AS',
        },
        anna,
      ),
    ).id;
    ok(await http.post(`/api/sales-plans/${plan}/approve`, { comments: 'Fine', approvedOn: d(2) }, manager));
    const expense = ok(
      await http.post(
        '/api/sales-expenses',
        { employeeId: 'anna', amount: 50_00, spentOn: d(7), category: 'travel', note: 'Train' },
        manager,
      ),
    ).id;
    ok(await http.post(`/api/sales-expenses/${expense}/reverse`, { reason: 'booked twice', reversedOn: d(9) }, manager));

    // Conduct: the policy of the month, three late working days (the case arises on the third), a correction,
    // a cancelled meeting, a violation recorded days after it occurred, feedback, and the case closed.
    const rule = {
      ruleId: 'late-3-in-month',
      when: { kind: 'lateness_count', window: 'calendar_month', countsAs: ['late', 'left_early'], atLeast: 3 },
      opens: 'investigation',
    };
    ok(await http.post('/api/discipline-policies', { effectiveFrom: d(1), definedOn: d(1), rules: [rule] }, manager));
    const workDay = async (day: number, scheduledOn?: string) =>
      ok(
        await http.post(
          '/api/meetings',
          {
            kind: 'work_day',
            title: 'Office',
            scheduledFor: d(day),
            startsAt: '08:30',
            attendees: ['anna'],
            ...(scheduledOn ? { scheduledOn } : {}),
          },
          manager,
        ),
      ).id as string;
    const opened: string[] = [];
    for (const day of [8, 9, 10]) {
      const meeting = await workDay(day);
      const answer = ok(
        await http.post(`/api/meetings/${meeting}/attendance`, { employeeId: 'anna', status: 'late', minutesLate: 10 }, manager),
      );
      opened.push(...answer.casesOpened);
    }
    expect(opened).toHaveLength(1);
    const corrected = await workDay(11, d(4));
    ok(await http.post(`/api/meetings/${corrected}/attendance`, { employeeId: 'anna', status: 'attended' }, manager));
    ok(
      await http.post(
        `/api/meetings/${corrected}/attendance-corrections`,
        { employeeId: 'anna', status: 'left_early', minutesEarly: 30, reason: 'Left at noon', correctedOn: d(12) },
        manager,
      ),
    );
    const cancelled = await workDay(25, d(13));
    ok(await http.post(`/api/meetings/${cancelled}/cancel`, { reason: 'Office closed', cancelledOn: d(14) }, manager));
    ok(
      await http.post(
        '/api/violations',
        {
          employeeId: 'anna',
          kind: 'other',
          severity: 'minor',
          description: 'Shared the price list with a competitor',
          evidence: [{ kind: 'document', reference: 'memo-1' }],
          occurredOn: d(11),
          recordedOn: d(13),
        },
        manager,
      ),
    );
    ok(await http.post('/api/service-feedback', { employeeId: 'anna', customerId: customer, score: 5, receivedOn: d(18) }, manager));
    const [caseId] = opened;
    const theCase = ok(await http.get(`/api/disciplinary-cases/${caseId}?minPosition=${written.last}`, manager));
    expect(theCase).toMatchObject({ openedOn: d(10) });
    ok(
      await http.post(
        `/api/disciplinary-cases/${caseId}/close`,
        { outcome: 'warning', note: 'Talked it through', closedOn: d(15) },
        manager,
      ),
    );

    // The month's appraisal, after it: scored, reviewed (the reward granted with it) and acknowledged on their own days.
    const scheme = {
      effectiveFrom: d(1),
      definedOn: d(1),
      items: [
        {
          itemId: 'target',
          name: 'Target',
          weight: 100,
          source: 'target_achievement',
          standard: { kind: 'bands', bands: [{ atLeast: 0, points: 100 }] },
        },
      ],
      rewardAtOrAbove: 85,
      improvementPlanBelow: 50,
      reward: { kind: 'bonus', amount: 100 },
      yearEnd: { yearAchievementWeightBp: 6000, monthlyAverageWeightBp: 4000 },
    };
    ok(await http.post('/api/appraisal-schemes', scheme, manager));
    const run = ok(
      await http.post('/api/appraisals/run', { period: month, kind: 'monthly', employeeIds: ['anna'], scoredOn: n(2) }, manager),
    );
    expect(run.results).toEqual([expect.objectContaining({ employeeId: 'anna', scored: true })]);
    ok(await http.post(`/api/appraisals/anna-${month}/review`, { feedback: 'A good month', reviewedOn: n(3) }, manager));
    ok(await http.post(`/api/appraisals/anna-${month}/acknowledge`, { comment: 'Thanks', acknowledgedOn: n(4) }, anna));

    // Every business date of every event written since: the month's (the appraisal's, the month after's), never today.
    const events: { type: string; stream: string; data: unknown; metadata: { occurredAt: string } }[] = [];
    for (let after = from; ;) {
      const page = ok(await http.get(`/api/events?after=${after}&limit=500`, integration));
      if (page.events.length === 0) break;
      events.push(...page.events);
      after = page.next;
    }
    const seen = new Set<string>();
    for (const e of events) {
      if (e.type.startsWith('AccessToken')) continue;
      seen.add(e.type);
      const dates: [string, string][] = [];
      datesOf(e.data, `${e.stream}:${e.type}`, dates);
      // every fact a person caused, and every consequence, names its day
      expect([e.type, dates.length > 0]).toEqual([e.type, true]);
      const allowed = e.stream.startsWith('appraisal-') && !e.stream.startsWith('appraisal-scheme') ? [month, next] : [month];
      for (const [path, value] of dates)
        expect(`${path} = ${value}`).toBe(
          `${path} = ${allowed.some((m) => value.startsWith(m)) ? value : `a day of ${allowed.join(' or ')}`}`,
        );
      expect(e.metadata.occurredAt.slice(0, 10)).toBe(today);
    }
    for (const type of [
      'RegionEstablished',
      'TeamFormed',
      'SalespersonHired',
      'TerritoryAssigned',
      'CustomerVisited',
      'TerritoryObjectionRaised',
      'TerritoryObjectionResolved',
      'TerritoryObjectionWithdrawn',
      'TerritoryDisputeEscalated',
      'AdministrativeDecisionRecorded',
      'CompanyTargetSet',
      'TargetAssigned',
      'TargetAssignmentWithdrawn',
      'TargetPlanFinalized',
      'SalesPlanSubmitted',
      'SalesPlanApproved',
      'SalesExpenseRecorded',
      'SalesExpenseReversed',
      'DisciplinePolicyDefined',
      'MeetingScheduled',
      'AttendanceRecorded',
      'AttendanceCorrected',
      'MeetingCancelled',
      'ViolationRecorded',
      'ServiceFeedbackRecorded',
      'DisciplinaryCaseOpened',
      'DisciplinaryCaseClosed',
      'AppraisalSchemeDefined',
      'AppraisalScored',
      'AppraisalReviewed',
      'RewardGranted',
      'AppraisalAcknowledged',
    ])
      expect(seen).toContain(type);
  }, 180_000);
});
