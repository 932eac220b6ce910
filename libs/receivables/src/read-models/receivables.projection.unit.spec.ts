import { projectionSpec } from '@salesline/core/testing';
import { AccountEvent, accountDecider, reservedForOrders } from '../domain/account';
import {
  openInvoicesAsOf,
  ReceivablesAccount,
  receivablesAccountOf,
  receivablesAsOf,
  ReceivablesLedgerEntry,
  receivablesProjection,
} from './receivables.projection';

const spec = projectionSpec(receivablesProjection, { streamOf: () => 'account-c-1' });
/** The ledger's documents, without the aging rollups the runtime keeps beside them (ADR 0028, specified with the list). */
const ledger = async (events: AccountEvent[]) =>
  Object.fromEntries(Object.entries(await spec.given(events).documents()).filter(([id]) => !id.startsWith('aging:'))) as Record<
    string,
    ReceivablesLedgerEntry
  >;
const fold = async (events: AccountEvent[]): Promise<ReceivablesAccount> =>
  receivablesAccountOf('c-1', Object.values(await ledger(events)));

const reserved = (orderId: string, amount: number): AccountEvent => ({
  type: 'CreditReserved',
  data: { orderId, amount, exposure: amount, creditLimit: null, decidedOn: '2025-01-01', forcedBy: null },
});
const released = (orderId: string, amount: number): AccountEvent => ({
  type: 'CreditReservationReleased',
  data: { orderId, amount, releasedOn: '2025-01-02' },
});

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
  it('keeps one document per invoice with its dated history, and the account it belongs to', async () => {
    const docs = await ledger(events);
    expect(Object.keys(docs)).toEqual(['account:c-1', 'invoice:c-1:i1', 'invoice:c-1:i2', 'source:c-1:payment:p1']);
    const doc = await fold(events);
    expect(doc.id).toBe('c-1');
    expect(doc.invoices.i2.history.map((h) => [h.date, h.kind, h.amount])).toEqual([
      ['2025-02-10', 'posted', 400_00],
      ['2025-03-01', 'allocated', 50_00],
      ['2025-03-10', 'credited', 100_00],
      ['2025-03-15', 'written_off', 50_00],
    ]);
    expect(doc.reservedForOrders).toBe(0);
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
  it('keeps no credit source for a note its invoice absorbs in full, each event delivered twice (a redelivery reads the invoice after the note)', async () => {
    const docs = await ledger([
      { type: 'InvoicePosted', data: { invoiceId: 'i1', orderId: 'o-1', amount: 2, invoiceDate: '2024-11-01', dueDate: '2024-11-01' } },
      { type: 'CreditNotePosted', data: { creditNoteId: 'cn1', invoiceId: 'i1', orderId: 'o-1', amount: 2, issuedOn: '2024-11-01' } },
    ]);
    expect(Object.keys(docs).sort()).toEqual(['account:c-1', 'invoice:c-1:i1']);
  });
  it('keeps each open reservation as its own document, summed by the account rollup', async () => {
    await spec
      .given(reserved('o-1', 300_00), reserved('o-2', 200_00), released('o-2', 50_00), reserved('o-3', 10_00), released('o-3', 10_00))
      .then({
        'account:c-1': { id: 'account:c-1', docType: 'account', customerId: 'c-1' },
        'reservation:c-1:o-1': { id: 'reservation:c-1:o-1', docType: 'reservation', customerId: 'c-1', orderId: 'o-1', amount: 300_00 },
        'reservation:c-1:o-2': { id: 'reservation:c-1:o-2', docType: 'reservation', customerId: 'c-1', orderId: 'o-2', amount: 150_00 },
        'totals:c-1': { id: 'totals:c-1', docType: 'totals', customerId: 'c-1', cells: { reserved: [450_00, 2] } },
      });
  });
  it('removes a reservation when its order is billed, and the rollup with the last one', async () => {
    const billed: AccountEvent = {
      type: 'InvoicePosted',
      data: { invoiceId: 'i1', orderId: 'o-1', amount: 300_00, invoiceDate: '2025-01-10', dueDate: '2025-02-09' },
    };
    const docs = await ledger([reserved('o-1', 300_00), billed]);
    expect(Object.keys(docs)).toEqual(['account:c-1', 'invoice:c-1:i1']);
  });
  it('keeps every document bounded whatever the account history: 1,000 open reservations, then all but 3 released', async () => {
    const orders = Array.from({ length: 1000 }, (_, i) => ({ orderId: `o-${i}`, amount: 100 + i }));
    const opened = orders.map((o) => reserved(o.orderId, o.amount));
    const open = await ledger(opened);
    // One document per open reservation beside the account and its rollup: none holds a list of reservations.
    expect(Object.keys(open)).toHaveLength(1000 + 2);
    for (const doc of Object.values(open)) expect(JSON.stringify(doc).length).toBeLessThan(200);
    expect(open['totals:c-1']).toMatchObject({ cells: { reserved: [(1000 * (100 + 1099)) / 2, 1000] } });

    const history = [...opened, ...orders.slice(3).map((o) => released(o.orderId, o.amount))];
    const docs = await ledger(history);
    expect(Object.keys(docs).sort()).toEqual([
      'account:c-1',
      'reservation:c-1:o-0',
      'reservation:c-1:o-1',
      'reservation:c-1:o-2',
      'totals:c-1',
    ]);
    const state = history.reduce(accountDecider.evolve, accountDecider.initialState());
    expect(receivablesAccountOf('c-1', Object.values(docs)).reservedForOrders).toBe(reservedForOrders(state));
    expect(reservedForOrders(state)).toBe(100 + 101 + 102);
  });
  it('ignores events it does not handle', async () => {
    await spec.given({ type: 'SomethingElse', data: {} }).then({});
  });
});
