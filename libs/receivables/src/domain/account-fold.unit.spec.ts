import fc from 'fast-check';
import { foldEvents } from '@salesline/shared-kernel';
import { accountDecider, AccountEvent, AccountState, openBalance, openReceivables, unallocated, unallocatedCredit } from './account';

/** Any account history, valid or not: evolve must fold all of them the same way, in or out of a fold. */
const id = fc.constantFrom('1', '2', '3', '4', '5');
const amount = fc.integer({ min: 1, max: 1000 });
const date = fc.constantFrom('2025-01-01', '2025-02-01', '2025-03-01');
const accountEvent: fc.Arbitrary<AccountEvent> = fc.oneof(
  fc.record({ orderId: id, amount }).map(
    ({ orderId, amount }) =>
      ({
        type: 'CreditReserved',
        data: { orderId, amount, exposure: 0, creditLimit: null, decidedOn: '2025-01-01', forcedBy: null },
      }) as AccountEvent,
  ),
  fc
    .record({ orderId: id, amount })
    .map(
      ({ orderId, amount }) => ({ type: 'CreditReservationReleased', data: { orderId, amount, releasedOn: '2025-01-01' } }) as AccountEvent,
    ),
  fc
    .record({ invoiceId: id, orderId: id, amount, d: date })
    .map(
      ({ invoiceId, orderId, amount, d }) =>
        ({ type: 'InvoicePosted', data: { invoiceId, orderId, amount, invoiceDate: d, dueDate: d } }) as AccountEvent,
    ),
  fc
    .record({ creditNoteId: id, invoiceId: id, amount })
    .map(
      ({ creditNoteId, invoiceId, amount }) =>
        ({ type: 'CreditNotePosted', data: { creditNoteId, invoiceId, orderId: 'o', amount, issuedOn: '2025-01-01' } }) as AccountEvent,
    ),
  fc
    .record({ depositId: id, amount })
    .map(
      ({ depositId, amount }) =>
        ({ type: 'DepositReceived', data: { depositId, amount, receivedOn: '2025-01-01', reference: null } }) as AccountEvent,
    ),
  fc
    .record({ depositId: id, amount })
    .map(({ depositId, amount }) => ({ type: 'DepositRefunded', data: { depositId, amount, refundedOn: '2025-01-01' } }) as AccountEvent),
  fc
    .record({ paymentId: id, amount })
    .map(
      ({ paymentId, amount }) =>
        ({ type: 'PaymentReceived', data: { paymentId, amount, receivedOn: '2025-01-01', reference: null } }) as AccountEvent,
    ),
  fc
    .record({ sourceId: id, kind: fc.constantFrom('payment', 'deposit', 'credit_note'), invoiceId: id, amount })
    .map(
      ({ sourceId, kind, invoiceId, amount }) =>
        ({ type: 'PaymentAllocated', data: { sourceId, sourceKind: kind, invoiceId, amount, allocatedOn: '2025-01-01' } }) as AccountEvent,
    ),
  id.map((invoiceId) => ({ type: 'PaymentRefused', data: { invoiceId, reason: 'r', refusedOn: '2025-01-01' } }) as AccountEvent),
  id.map(
    (invoiceId) => ({ type: 'DisputeSettled', data: { invoiceId, outcome: 'customer_pays', settledOn: '2025-01-01' } }) as AccountEvent,
  ),
  fc
    .record({ invoiceId: id, amount })
    .map(
      ({ invoiceId, amount }) =>
        ({ type: 'InvoiceWrittenOff', data: { invoiceId, amount, reason: 'r', writtenOffOn: '2025-01-01' } }) as AccountEvent,
    ),
);

describe('Customer account fold', () => {
  it('folds a history in one linear pass to the state that evolving event by event gives, without changing earlier states', () =>
    fc.assert(
      fc.property(fc.array(accountEvent, { maxLength: 60 }), fc.array(accountEvent, { maxLength: 30 }), (history, more) => {
        const stepByStep = history.reduce(accountDecider.evolve, accountDecider.initialState());
        const kept = structuredClone(stepByStep);
        expect(foldEvents(accountDecider, history)).toEqual(stepByStep);
        expect(foldEvents(accountDecider, [...history, ...more])).toEqual(more.reduce(accountDecider.evolve, stepByStep));
        expect(stepByStep).toEqual(kept);
      }),
    ));

  it('keeps the open receivables and the unallocated money as sums that equal adding up every invoice and source', () => {
    const added = (state: AccountState) => ({
      receivable: Object.values(state.invoices).reduce((total, invoice) => total + openBalance(invoice), 0),
      onAccount: Object.values(state.sources).reduce((total, source) => total + unallocated(source), 0),
    });
    fc.assert(
      fc.property(fc.array(accountEvent, { maxLength: 60 }), (history) => {
        const folded = foldEvents(accountDecider, history);
        expect({ receivable: openReceivables(folded), onAccount: unallocatedCredit(folded) }).toEqual(added(folded));
        const stepByStep = history.reduce(accountDecider.evolve, accountDecider.initialState());
        expect({ receivable: openReceivables(stepByStep), onAccount: unallocatedCredit(stepByStep) }).toEqual(added(stepByStep));
      }),
    );
  });
});
