import { projectionSpec } from '@salesline/core/testing';
import { AccountEvent } from '../domain/account';
import { openInvoicesAsOf, receivablesAsOf, ReceivablesDoc, receivablesProjection } from './receivables.projection';

const spec = projectionSpec(receivablesProjection, { streamOf: () => 'account-c-1' });
const fold = async (events: AccountEvent[]): Promise<ReceivablesDoc> => (await spec.given(events).document('c-1'))!;

const events: AccountEvent[] = [
  {
    type: 'CreditReserved',
    data: { orderId: 'o-1', amount: 1000_00, exposure: 1000_00, creditLimit: null, decidedOn: '2025-01-01', forcedBy: null },
  },
  { type: 'InvoicePosted', data: { invoiceId: 'i1', orderId: 'o-1', amount: 600_00, invoiceDate: '2025-01-10', dueDate: '2025-02-09' } },
  { type: 'InvoicePosted', data: { invoiceId: 'i2', orderId: 'o-1', amount: 400_00, invoiceDate: '2025-02-10', dueDate: '2025-03-12' } },
  { type: 'PaymentReceived', data: { paymentId: 'p1', amount: 700_00, receivedOn: '2025-03-01', reference: null } },
  { type: 'PaymentAllocated', data: { sourceId: 'p1', sourceKind: 'payment', invoiceId: 'i1', amount: 600_00, allocatedOn: '2025-03-01' } },
  { type: 'PaymentAllocated', data: { sourceId: 'p1', sourceKind: 'payment', invoiceId: 'i2', amount: 50_00, allocatedOn: '2025-03-01' } },
  { type: 'PaymentRefused', data: { invoiceId: 'i2', reason: 'short delivery', refusedOn: '2025-03-05' } },
  { type: 'CreditNotePosted', data: { creditNoteId: 'cn1', invoiceId: 'i2', orderId: 'o-1', amount: 100_00, issuedOn: '2025-03-10' } },
  { type: 'DisputeSettled', data: { invoiceId: 'i2', outcome: 'credited', settledOn: '2025-03-10' } },
  { type: 'InvoiceWrittenOff', data: { invoiceId: 'i2', amount: 50_00, reason: 'goodwill', writtenOffOn: '2025-03-15' } },
];

describe('receivablesProjection', () => {
  it('keeps one document per customer with dated history', async () => {
    const doc = await fold(events);
    expect(doc.id).toBe('c-1');
    expect(doc.invoices.i2.history.map((h) => [h.date, h.kind, h.amount])).toEqual([
      ['2025-02-10', 'posted', 400_00],
      ['2025-03-01', 'allocated', 50_00],
      ['2025-03-10', 'credited', 100_00],
      ['2025-03-15', 'written_off', 50_00],
    ]);
    expect(doc.reservations).toEqual({});
  });
  it('computes balances and aging AS OF any business date', async () => {
    const doc = await fold(events);
    expect(receivablesAsOf(doc, '2025-01-31')).toMatchObject({
      openReceivables: 600_00,
      unallocatedCredit: 0,
      aging: { current: 600_00, total: 600_00 },
    });
    expect(receivablesAsOf(doc, '2025-02-20')).toMatchObject({ openReceivables: 1000_00, aging: { current: 400_00, days1to30: 600_00 } });
    expect(receivablesAsOf(doc, '2025-03-06')).toMatchObject({ openReceivables: 350_00, disputedAmount: 350_00, unallocatedCredit: 50_00 });
    expect(receivablesAsOf(doc, '2025-03-12')).toMatchObject({ openReceivables: 250_00, disputedAmount: 0 });
    expect(receivablesAsOf(doc, '2025-04-01')).toMatchObject({ openReceivables: 200_00, aging: { days1to30: 200_00, total: 200_00 } });
    expect(openInvoicesAsOf(doc, '2024-12-31')).toEqual([]);
  });
  it('turns the part of a credit note above the open balance into unallocated credit', async () => {
    const doc = await fold([
      {
        type: 'InvoicePosted',
        data: { invoiceId: 'i1', orderId: 'o-1', amount: 100_00, invoiceDate: '2025-01-10', dueDate: '2025-02-09' },
      },
      { type: 'PaymentReceived', data: { paymentId: 'p1', amount: 100_00, receivedOn: '2025-01-20', reference: null } },
      {
        type: 'PaymentAllocated',
        data: { sourceId: 'p1', sourceKind: 'payment', invoiceId: 'i1', amount: 100_00, allocatedOn: '2025-01-20' },
      },
      { type: 'CreditNotePosted', data: { creditNoteId: 'cn1', invoiceId: 'i1', orderId: 'o-1', amount: 40_00, issuedOn: '2025-02-01' } },
    ]);
    expect(receivablesAsOf(doc, '2025-02-01')).toMatchObject({ openReceivables: 0, unallocatedCredit: 40_00 });
    expect(receivablesAsOf(doc, '2025-01-31')).toMatchObject({ openReceivables: 0, unallocatedCredit: 0 });
  });
  it('ignores events it does not handle', async () => {
    await spec.given({ type: 'SomethingElse', data: {} }).then({});
  });
});
