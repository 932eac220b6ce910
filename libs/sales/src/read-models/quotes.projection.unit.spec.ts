import { RecordedEvent } from '@salesline/core';
import { projectionSpec, recordedEvent } from '@salesline/core/testing';
import { quotesProjection } from './quotes.projection';

let position = 0;
const recorded = (type: string, data: object, revision: number): RecordedEvent =>
  recordedEvent(
    'quote-q-1',
    { type, data },
    { position: ++position, revision, occurredAt: '2026-01-01T10:00:00.000Z', metadata: { actor: 'sam' } },
  );
const line = (lineId: string, quantity: number, unitPrice: number) => ({
  lineId,
  productId: 'p-1',
  quantity,
  unitPrice,
  resolvedUnitPrice: 9_00,
  priceSource: { kind: 'list' },
  unitCost: 6_00,
});
const spec = projectionSpec(quotesProjection);
const quote = (events: RecordedEvent[]) => spec.given(events).document('q-1');
const issued = recorded(
  'QuoteIssued',
  {
    quoteId: 'q-1',
    customerId: 'c-1',
    salespersonId: 'sam',
    quoteDate: '2026-01-01',
    validUntil: '2026-01-31',
    lines: [line('a', 2, 9_00), line('b', 1, 8_00)],
    revision: 1,
  },
  0,
);
const requested = recorded(
  'QuotePriceOverrideRequested',
  {
    overrideId: 'q-1-r1-b',
    quoteId: 'q-1',
    revision: 1,
    lineId: 'b',
    salespersonId: 'sam',
    requestedBy: 'sam',
    resolvedUnitPrice: 9_00,
    requestedUnitPrice: 8_00,
  },
  1,
);

describe('quotes projection', () => {
  it('totals the current lines and counts pending overrides', async () => {
    expect(await quote([issued, requested])).toMatchObject({
      id: 'q-1',
      status: 'open',
      total: 2 * 9_00 + 8_00,
      pendingOverrideCount: 1,
      version: 1,
    });
  });

  it('a rejected override reprices the line and leaves nothing pending', async () => {
    const rejected = recorded('QuotePriceOverrideRejected', { overrideId: 'q-1-r1-b', quoteId: 'q-1', lineId: 'b', repricedTo: 9_00 }, 2);
    expect(await quote([issued, requested, rejected])).toMatchObject({ total: 3 * 9_00, pendingOverrideCount: 0 });
  });

  it('keeps the rejection reason', async () => {
    const rejected = await quote([issued, recorded('QuoteRejected', { quoteId: 'q-1', reason: 'too dear', rejectedOn: '2026-01-02' }, 1)]);
    expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: 'too dear' });
  });

  it('a revision replaces the lines, drops the old overrides and keeps the history', async () => {
    const revised = await quote([
      issued,
      requested,
      recorded(
        'QuoteRevised',
        { quoteId: 'q-1', revision: 2, revisedOn: '2026-01-03', validUntil: '2026-02-02', lines: [line('a', 1, 9_00)] },
        2,
      ),
    ]);
    expect(revised).toMatchObject({ status: 'open', revision: 2, total: 9_00, pendingOverrideCount: 0, validUntil: '2026-02-02' });
    expect(revised!.revisions.map((r) => r.revision)).toEqual([1, 2]);
  });

  it('records the order a quote converted into', async () => {
    const converted = await quote([
      issued,
      recorded('QuoteConverted', { quoteId: 'q-1', orderId: 'o-1', revision: 1, convertedOn: '2026-01-05' }, 1),
    ]);
    expect(converted).toMatchObject({ status: 'converted', orderId: 'o-1' });
  });
});
