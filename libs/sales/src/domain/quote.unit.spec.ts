import { Role } from '@salesline/shared-kernel';
import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { quoteIssued } from '../testing/quote-fixtures';
import { orderLinesFromQuote, QuoteCommand, quoteDecider, QuoteEvent, QuoteState } from './quote';

const spec = deciderSpec(quoteDecider);
const TODAY = '2025-03-01';
const cmd = <T extends QuoteCommand>(type: T['type'], data: T['data'], roles: Role[] = ['salesperson'], today = TODAY) =>
  commandOf<QuoteCommand>(type, data, { roles, userId: `u-${roles[0]}`, today }) as T;

const settings = { maxDiscountBpByRole: { salesperson: 0, sales_manager: 1000 }, quoteValidityDays: 30 };
const line = {
  lineId: 'L1',
  productId: 'p-1',
  quantity: 10,
  unitPrice: 100_00,
  resolvedUnitPrice: 100_00,
  priceSource: { kind: 'list' as const },
  unitCost: 60_00,
};
const issue = (over: Record<string, unknown> = {}, roles: Role[] = ['salesperson']) =>
  cmd(
    'IssueQuote',
    { quoteId: 'q-1', customerId: 'c-1', salespersonId: 'sp-1', quoteDate: TODAY, lines: [line], settings, ...over },
    roles,
  );
const issued = quoteIssued([line]);
const overrideRequested: QuoteEvent = {
  type: 'QuotePriceOverrideRequested',
  data: {
    overrideId: 'q-1-r1-L1',
    quoteId: 'q-1',
    revision: 1,
    lineId: 'L1',
    salespersonId: 'sp-1',
    requestedBy: 'u-salesperson',
    resolvedUnitPrice: 100_00,
    requestedUnitPrice: 95_00,
    discountBp: 500,
    allowedBp: 0,
    belowCost: false,
    reason: null,
    requestedOn: TODAY,
  },
};
const discountedIssued: QuoteEvent = { ...issued, data: { ...issued.data, lines: [{ ...line, unitPrice: 95_00 }] } };
const open = (s: QuoteState) => {
  if (s.status === 'none') throw new Error('none');
  return s;
};

describe('Quote', () => {
  it('IssueQuote → QuoteIssued, validUntil defaulting to quoteDate + quoteValidityDays', () => {
    spec.given().when(issue()).then([issued]);
    spec
      .given()
      .when(issue({ validUntil: '2025-03-10' }))
      .then([{ ...issued, data: { ...issued.data, validUntil: '2025-03-10' } }]);
  });
  it('refuses validUntil before the quote date, empty quotes and repeated issue', () => {
    spec
      .given()
      .when(issue({ validUntil: '2025-02-01' }))
      .thenThrows('InvalidValidityPeriod');
    spec
      .given()
      .when(issue({ lines: [] }))
      .thenThrows('EmptyQuote');
    spec.given(issued).when(issue()).thenThrows('QuoteAlreadyIssued', 'conflict');
  });
  it('a line below what the salesperson may grant is marked pending approval (ADR 0103)', () => {
    const state = spec
      .given()
      .when(issue({ lines: [{ ...line, unitPrice: 95_00 }] }))
      .then([discountedIssued, overrideRequested]);
    expect(open(state).overrides).toEqual([expect.objectContaining({ overrideId: 'q-1-r1-L1', status: 'pending' })]);
  });
  it('a quote with pending prices cannot be accepted or converted: QuotePriceApprovalPending', () => {
    spec.given(discountedIssued, overrideRequested).when(cmd('AcceptQuote', {})).thenThrows('QuotePriceApprovalPending', 'conflict');
    spec
      .given(discountedIssued, overrideRequested)
      .when(cmd('ConvertQuote', { orderId: 'o-1', settings: { allowConvertExpiredQuote: false } }))
      .thenThrows('QuotePriceApprovalPending');
  });
  it('a manager approves: the approval travels to the order lines', () => {
    const approved: QuoteEvent = {
      type: 'QuotePriceOverrideApproved',
      data: { overrideId: 'q-1-r1-L1', quoteId: 'q-1', lineId: 'L1', approvedBy: 'u-sales_manager', reason: 'volume', approvedOn: TODAY },
    };
    const state = spec
      .given(discountedIssued, overrideRequested)
      .when(cmd('ApproveQuotePriceOverride', { overrideId: 'q-1-r1-L1', reason: 'volume', settings }, ['sales_manager']))
      .then([approved]);
    expect(orderLinesFromQuote(open(state))[0].preApproved).toEqual({
      overrideId: 'q-1-r1-L1',
      approvedBy: 'u-sales_manager',
      approvedUnitPrice: 95_00,
    });
    spec
      .given(discountedIssued, overrideRequested)
      .when(cmd('ApproveQuotePriceOverride', { overrideId: 'q-1-r1-L1', reason: 'x', settings }))
      .thenThrows('PriceOverrideApprovalForbidden', 'forbidden');
    spec
      .given(discountedIssued, overrideRequested, approved)
      .when(cmd('ApproveQuotePriceOverride', { overrideId: 'q-1-r1-L1', reason: 'x', settings }, ['admin']))
      .thenThrows('PriceOverrideNotPending');
  });
  it('a rejected override reprices the quote line to the resolved price', () => {
    const state = spec
      .given(discountedIssued, overrideRequested)
      .when(cmd('RejectQuotePriceOverride', { overrideId: 'q-1-r1-L1', reason: 'no' }, ['sales_manager']))
      .then([
        {
          type: 'QuotePriceOverrideRejected',
          data: {
            overrideId: 'q-1-r1-L1',
            quoteId: 'q-1',
            lineId: 'L1',
            rejectedBy: 'u-sales_manager',
            reason: 'no',
            rejectedOn: TODAY,
            repricedTo: 100_00,
          },
        },
      ]);
    expect(open(state).lines[0].unitPrice).toBe(100_00);
    expect(orderLinesFromQuote(open(state))[0].preApproved).toBeNull();
  });
  it('ReviseQuote → QuoteRevised with the next revision; the old revision stays in history', () => {
    const revisedLines = [{ ...line, quantity: 20 }];
    const state = spec
      .given(issued)
      .when(cmd('ReviseQuote', { lines: revisedLines, settings }, ['salesperson'], '2025-03-05'))
      .then([
        {
          type: 'QuoteRevised',
          data: { quoteId: 'q-1', revision: 2, revisedOn: '2025-03-05', validUntil: '2025-04-04', lines: revisedLines },
        },
      ]);
    expect(open(state).revisions.map((r) => [r.revision, r.lines[0].quantity])).toEqual([
      [1, 10],
      [2, 20],
    ]);
  });
  it('a revision re-evaluates the price floor and drops the old overrides', () => {
    const events = spec
      .given(discountedIssued, overrideRequested)
      .when(cmd('ReviseQuote', { lines: [{ ...line, unitPrice: 97_00 }], settings }))
      .events();
    expect(events[1]).toMatchObject({
      type: 'QuotePriceOverrideRequested',
      data: { overrideId: 'q-1-r2-L1', revision: 2, discountBp: 300 },
    });
  });
  it('AcceptQuote → QuoteAccepted, only while valid: QuoteExpired', () => {
    spec
      .given(issued)
      .when(cmd('AcceptQuote', {}))
      .then([{ type: 'QuoteAccepted', data: { quoteId: 'q-1', revision: 1, acceptedOn: TODAY } }]);
    spec
      .given(issued)
      .when(cmd('AcceptQuote', {}, ['salesperson'], '2025-04-01'))
      .thenThrows('QuoteExpired', 'conflict');
  });
  it('RejectQuote → QuoteRejected with a reason; a rejected quote is closed: QuoteClosed', () => {
    const rejected: QuoteEvent = { type: 'QuoteRejected', data: { quoteId: 'q-1', reason: 'too expensive', rejectedOn: TODAY } };
    spec
      .given(issued)
      .when(cmd('RejectQuote', { reason: 'too expensive' }))
      .then([rejected]);
    spec
      .given(issued)
      .when(cmd('RejectQuote', { reason: '' }))
      .thenThrows('ReasonRequired');
    spec
      .given(issued, rejected)
      .when(cmd('ConvertQuote', { orderId: 'o-1', settings: { allowConvertExpiredQuote: true } }))
      .thenThrows('QuoteClosed', 'conflict');
    spec
      .given(issued, rejected)
      .when(cmd('ExpireQuote', {}, ['salesperson'], '2025-05-01'))
      .then([]);
  });
  it('ExpireQuote (sweep) expires only open/accepted quotes past validUntil', () => {
    spec
      .given(issued)
      .when(cmd('ExpireQuote', {}, ['salesperson'], '2025-03-31'))
      .then([]);
    spec
      .given(issued)
      .when(cmd('ExpireQuote', {}, ['salesperson'], '2025-04-01'))
      .then([{ type: 'QuoteExpired', data: { quoteId: 'q-1', validUntil: '2025-03-31', expiredOn: '2025-04-01' } }]);
    // a sweep that runs weeks later (a past month entered after the fact) still dates the lapse the day after validUntil
    spec
      .given(issued)
      .when(cmd('ExpireQuote', {}, ['salesperson'], '2025-06-10'))
      .then([{ type: 'QuoteExpired', data: { quoteId: 'q-1', validUntil: '2025-03-31', expiredOn: '2025-04-01' } }]);
  });
  it('ConvertQuote → QuoteConverted; an expired quote or one past validUntil is refused unless allowed: QuoteExpired', () => {
    const convert = (allow: boolean, today = TODAY) =>
      cmd('ConvertQuote', { orderId: 'o-1', settings: { allowConvertExpiredQuote: allow } }, ['salesperson'], today);
    spec
      .given(issued)
      .when(convert(false))
      .then([{ type: 'QuoteConverted', data: { quoteId: 'q-1', orderId: 'o-1', revision: 1, convertedOn: TODAY } }]);
    spec.given(issued).when(convert(false, '2025-04-01')).thenThrows('QuoteExpired', 'conflict');
    const expired: QuoteEvent = { type: 'QuoteExpired', data: { quoteId: 'q-1', validUntil: '2025-03-31', expiredOn: '2025-04-01' } };
    spec.given(issued, expired).when(convert(false, '2025-04-01')).thenThrows('QuoteExpired');
    spec
      .given(issued, expired)
      .when(convert(true, '2025-04-01'))
      .then([{ type: 'QuoteConverted', data: { quoteId: 'q-1', orderId: 'o-1', revision: 1, convertedOn: '2025-04-01' } }]);
  });
  it('a quote converts at most once: QuoteAlreadyConverted', () => {
    const converted: QuoteEvent = { type: 'QuoteConverted', data: { quoteId: 'q-1', orderId: 'o-1', revision: 1, convertedOn: TODAY } };
    spec
      .given(issued, converted)
      .when(cmd('ConvertQuote', { orderId: 'o-2', settings: { allowConvertExpiredQuote: true } }))
      .thenThrows('QuoteAlreadyConverted', 'conflict');
    spec
      .given(issued, converted)
      .when(cmd('ReviseQuote', { lines: [line], settings }))
      .thenThrows('QuoteAlreadyConverted');
  });
  it('unknown quote: QuoteNotFound', () => {
    spec.given().when(cmd('AcceptQuote', {})).thenThrows('QuoteNotFound', 'not_found');
  });
});
