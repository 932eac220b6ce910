import fc from 'fast-check';
import { foldEvents } from '@salesline/shared-kernel';
import { accountDecider, AccountEvent, AccountState, openBalance, openReceivables, unallocated, unallocatedCredit } from './account';
import { accountInvoices, accountSources, allocateOldestDueFirst, creditNotePosted, CreditSource, disputedAmount } from './account';
import { dunnableInvoices, InvoiceBalance, invoiceOn, openInvoices, sourceOn, unallocatedCreditNotes } from './account';
import { unallocatedDeposits, unallocatedPayments } from './account';

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
      receivable: accountInvoices(state).reduce((total, invoice) => total + openBalance(invoice), 0),
      onAccount: accountSources(state).reduce((total, source) => total + unallocated(source), 0),
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

  /**
   * The account as a plain ledger would keep it: every invoice, source and credit note in a map,
   * each answer computed by scanning all of them. The decider keeps indexes instead (the unsettled
   * invoices and sources, the credit notes by id); both must answer the same for any history.
   */
  const straightforwardFold = (history: readonly AccountEvent[]) => {
    const invoices = new Map<string, InvoiceBalance>();
    const sources = new Map<string, CreditSource>();
    const creditNotes = new Set<string>();
    const source = (kind: CreditSource['kind'], sourceId: string, amount: number, receivedOn: string) =>
      sources.set(`${kind}:${sourceId}`, { sourceId, kind, amount, allocated: 0, refunded: 0, receivedOn });
    const change = <T>(map: Map<string, T>, key: string, f: (t: T) => T) => {
      const found = map.get(key);
      if (found) map.set(key, f(found));
    };
    for (const e of history) {
      switch (e.type) {
        case 'InvoicePosted':
          invoices.set(e.data.invoiceId, { ...e.data, allocated: 0, credited: 0, creditNoteTotal: 0, writtenOff: 0, disputed: false });
          break;
        case 'CreditNotePosted': {
          const inv = invoices.get(e.data.invoiceId);
          if (!inv) break;
          const applied = Math.min(e.data.amount, Math.max(0, openBalance(inv)));
          invoices.set(inv.invoiceId, { ...inv, credited: inv.credited + applied, creditNoteTotal: inv.creditNoteTotal + e.data.amount });
          creditNotes.add(e.data.creditNoteId);
          if (e.data.amount > applied) source('credit_note', e.data.creditNoteId, e.data.amount - applied, e.data.issuedOn);
          break;
        }
        case 'DepositReceived':
          source('deposit', e.data.depositId, e.data.amount, e.data.receivedOn);
          break;
        case 'PaymentReceived':
          source('payment', e.data.paymentId, e.data.amount, e.data.receivedOn);
          break;
        case 'DepositRefunded':
          change(sources, `deposit:${e.data.depositId}`, (s) => ({ ...s, refunded: s.refunded + e.data.amount }));
          break;
        case 'PaymentAllocated':
          change(sources, `${e.data.sourceKind}:${e.data.sourceId}`, (s) => ({ ...s, allocated: s.allocated + e.data.amount }));
          change(invoices, e.data.invoiceId, (i) => ({ ...i, allocated: i.allocated + e.data.amount }));
          break;
        case 'PaymentRefused':
        case 'DisputeSettled':
          change(invoices, e.data.invoiceId, (i) => ({ ...i, disputed: e.type === 'PaymentRefused' }));
          break;
        case 'InvoiceWrittenOff':
          change(invoices, e.data.invoiceId, (i) => ({ ...i, writtenOff: i.writtenOff + e.data.amount }));
          break;
      }
    }
    const all = [...invoices.values()];
    const open = all
      .filter((i) => openBalance(i) > 0)
      .sort(
        (a, b) =>
          a.dueDate.localeCompare(b.dueDate) || a.invoiceDate.localeCompare(b.invoiceDate) || a.invoiceId.localeCompare(b.invoiceId),
      )
      .map((i) => ({ ...i, openBalance: openBalance(i) }));
    const unallocatedOf = (kind: CreditSource['kind']) =>
      [...sources.values()].filter((s) => s.kind === kind).reduce((total, s) => total + unallocated(s), 0);
    return {
      invoices,
      sources,
      creditNotes,
      open,
      unallocatedOf,
      disputed: all.filter((i) => i.disputed).reduce((t, i) => t + openBalance(i), 0),
    };
  };

  it('answers every query and lookup as a straightforward fold that scans every invoice, source and credit note', () =>
    fc.assert(
      fc.property(fc.array(accountEvent, { maxLength: 80 }), fc.integer({ min: 0, max: 5000 }), (history, amount) => {
        const plain = straightforwardFold(history);
        for (const state of [foldEvents(accountDecider, history), history.reduce(accountDecider.evolve, accountDecider.initialState())]) {
          expect(openInvoices(state)).toEqual(plain.open);
          expect(dunnableInvoices(state, '2025-02-15')).toEqual(plain.open.filter((i) => !i.disputed && i.dueDate < '2025-02-15'));
          expect(disputedAmount(state)).toBe(plain.disputed);
          expect([unallocatedDeposits(state), unallocatedPayments(state), unallocatedCreditNotes(state)]).toEqual(
            (['deposit', 'payment', 'credit_note'] as const).map(plain.unallocatedOf),
          );
          let left = amount;
          const oldestFirst = plain.open
            .filter((i) => !i.disputed)
            .map((i) => {
              const take = Math.min(left, i.openBalance);
              left -= take;
              return { invoiceId: i.invoiceId, amount: take };
            })
            .filter((a) => a.amount > 0);
          expect(allocateOldestDueFirst(state, amount)).toEqual(oldestFirst);
          for (const key of ['1', '2', '3', '4', '5', '6']) {
            expect(invoiceOn(state, key)).toEqual(plain.invoices.get(key));
            expect(creditNotePosted(state, key)).toBe(plain.creditNotes.has(key));
            for (const kind of ['payment', 'deposit', 'credit_note'] as const)
              expect(sourceOn(state, kind, key)).toEqual(plain.sources.get(`${kind}:${key}`));
          }
          expect(accountInvoices(state).length).toBe(plain.invoices.size);
          expect(accountSources(state).length).toBe(plain.sources.size);
        }
      }),
      // Enough runs to meet the rare histories (an over-allocated, disputed invoice) where only a nonzero index answers right.
      { numRuns: 400 },
    ));
});
