import { businessDateOf, streamCategory, subjectsOf } from './audit-subjects';
import { diffStates } from './state-diff';

const meta = { actor: 'sp-anna', correlationId: 'c', causationId: null, occurredAt: '2025-01-01T00:00:00Z', schemaVersion: 1 };

describe('what an event is about', () => {
  it('an order placed from a quote is about the order, its customer, its quote, its products and its salesperson; its actor is recorded', () => {
    const s = subjectsOf({
      streamName: 'order-o1',
      type: 'OrderPlaced',
      metadata: meta,
      data: {
        orderId: 'o1',
        customerId: 'c1',
        quoteId: 'q1',
        salesCredit: [{ salespersonId: 'sp-anna', shareBp: 10000 }],
        lines: [{ productId: 'p1' }, { productId: 'p2' }],
      },
    });
    expect([...s.about].sort()).toEqual(['customer:c1', 'employee:sp-anna', 'order:o1', 'product:p1', 'product:p2', 'quote:q1']);
    expect(s.actor).toBe('actor:sp-anna');
    expect(s.links).toEqual([['order:o1', 'quote:q1']]);
  });

  it("a customer registered for a salesperson, or handed to one, is in that salesperson's history", () => {
    const registered = subjectsOf({
      streamName: 'customer-c1',
      type: 'CustomerRegistered',
      metadata: meta,
      data: { customerId: 'c1', name: 'Acme', ownerId: 'sp-anna', territory: 'north' },
    });
    expect([...registered.about].sort()).toEqual(['customer:c1', 'employee:sp-anna']);
    const handedOver = subjectsOf({
      streamName: 'customer-c1',
      type: 'CustomerDetailsChanged',
      metadata: meta,
      data: { customerId: 'c1', changes: { ownerId: 'sp-ben' } },
    });
    expect([...handedOver.about].sort()).toEqual(['customer:c1', 'employee:sp-ben']);
  });

  it("an account event is about the account's customer; a posted invoice links the invoice to its order", () => {
    const s = subjectsOf({
      streamName: 'account-c-1',
      type: 'InvoicePosted',
      metadata: meta,
      data: { invoiceId: 'i1', orderId: 'o1', amount: 1 },
    });
    expect([...s.about].sort()).toEqual(['customer:c-1', 'invoice:i1', 'order:o1']);
    expect(s.links).toEqual([['order:o1', 'invoice:i1']]);
  });

  it("a sales plan's stream belongs to the employee whose plan it is, so its approval (planId only) is in their history", () => {
    const submitted = subjectsOf({
      streamName: 'sales-plan-sp-anna-2025-03',
      type: 'SalesPlanSubmitted',
      metadata: meta,
      data: { planId: 'x', employeeId: 'sp-anna' },
    });
    expect(submitted.links).toEqual([['employee:sp-anna', 'stream:sales-plan-sp-anna-2025-03']]);
    const approved = subjectsOf({
      streamName: 'sales-plan-sp-anna-2025-03',
      type: 'SalesPlanApproved',
      metadata: meta,
      data: { planId: 'x' },
    });
    expect(approved.about).toEqual(['stream:sales-plan-sp-anna-2025-03']);
  });

  it('meeting attendees and targets assigned to a salesperson are about those employees', () => {
    expect(
      subjectsOf({ streamName: 'meeting-m1', type: 'MeetingScheduled', metadata: meta, data: { meetingId: 'm1', attendees: ['a', 'b'] } })
        .about,
    ).toEqual(['stream:meeting-m1', 'employee:a', 'employee:b']);
    expect(
      subjectsOf({
        streamName: 'target-plan-2025',
        type: 'TargetAssigned',
        metadata: meta,
        data: { nodeKind: 'salesperson', nodeId: 'sp-x' },
      }).about,
    ).toContain('employee:sp-x');
  });

  it('knows categories with dashes in them', () => {
    expect(streamCategory('employee-violations-sp-anna')).toBe('employee-violations');
    expect(streamCategory('order-4cd3-2018')).toBe('order');
  });

  it("takes the fact's business date, not a due date", () => {
    expect(businessDateOf({ invoiceId: 'i', dueDate: '2025-02-01', invoiceDate: '2025-01-01' })).toBe('2025-01-01');
    expect(businessDateOf({ name: 'x' })).toBeNull();
  });
});

describe('the difference between two states', () => {
  it('lists changed leaves by path, new list items as their fields', () => {
    expect(
      diffStates(
        { status: 'held', lines: [], credit: { by: null } },
        { status: 'released', lines: [{ id: 'l1' }], credit: { by: 'fiona' } },
      ),
    ).toEqual([
      { field: 'credit.by', from: null, to: 'fiona' },
      { field: 'lines.0.id', from: null, to: 'l1' },
      { field: 'status', from: 'held', to: 'released' },
    ]);
    expect(diffStates(null, null)).toEqual([]);
  });
});
