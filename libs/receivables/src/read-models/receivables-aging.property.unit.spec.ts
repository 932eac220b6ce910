import fc from 'fast-check';
import { projectionSpec } from '@salesline/core/testing';
import { addDays } from '@salesline/shared-kernel';
import { AccountEvent, SourceKind } from '../domain/account';
import { customerReceivables, receivablesRow, receivablesRowOf } from './receivables-report';
import { AgingRollupDoc, agingBalancesAsOf, agingPeriods } from './receivables-aging';
import { receivablesAccountOf, ReceivablesLedgerEntry, receivablesProjection } from './receivables.projection';
import type { ReceivablesAccountDoc, ReservationTotalsDoc } from './receivables.projection';

const DAY0 = '2024-11-01';
const day = (n: number) => addDays(DAY0, n);
const CUSTOMERS = ['c-1', 'c-2'];

/** A random account event on a small set of invoices, sources and orders, dated over about two years. */
const eventArb: fc.Arbitrary<AccountEvent> = fc.oneof(
  fc
    .record({ order: fc.integer({ min: 1, max: 3 }), amount: fc.integer({ min: 0, max: 900 }), on: fc.integer({ min: 0, max: 700 }) })
    .map(({ order, amount, on }): AccountEvent => ({
      type: 'CreditReserved',
      data: { orderId: `o-${order}`, amount, exposure: 0, creditLimit: null, decidedOn: day(on), forcedBy: null },
    })),
  fc
    .record({ order: fc.integer({ min: 1, max: 3 }), amount: fc.integer({ min: 1, max: 900 }), on: fc.integer({ min: 0, max: 700 }) })
    .map(({ order, amount, on }): AccountEvent => ({
      type: 'CreditReservationReleased',
      data: { orderId: `o-${order}`, amount, releasedOn: day(on) },
    })),
  fc
    .record({
      invoice: fc.integer({ min: 1, max: 5 }),
      order: fc.integer({ min: 1, max: 3 }),
      amount: fc.integer({ min: 1, max: 1000 }),
      on: fc.integer({ min: 0, max: 700 }),
      terms: fc.integer({ min: 0, max: 120 }),
    })
    .map(({ invoice, order, amount, on, terms }): AccountEvent => ({
      type: 'InvoicePosted',
      data: { invoiceId: `i-${invoice}`, orderId: `o-${order}`, amount, invoiceDate: day(on), dueDate: day(on + terms) },
    })),
  fc
    .record({
      note: fc.integer({ min: 1, max: 3 }),
      invoice: fc.integer({ min: 1, max: 5 }),
      amount: fc.integer({ min: 1, max: 600 }),
      on: fc.integer({ min: 0, max: 700 }),
    })
    .map(({ note, invoice, amount, on }): AccountEvent => ({
      type: 'CreditNotePosted',
      data: { creditNoteId: `cn-${note}`, invoiceId: `i-${invoice}`, orderId: 'o-1', amount, issuedOn: day(on) },
    })),
  fc
    .record({ id: fc.integer({ min: 1, max: 3 }), amount: fc.integer({ min: 1, max: 800 }), on: fc.integer({ min: 0, max: 700 }) })
    .map(({ id, amount, on }): AccountEvent => ({
      type: 'DepositReceived',
      data: { depositId: `d-${id}`, amount, receivedOn: day(on), reference: null },
    })),
  fc
    .record({ id: fc.integer({ min: 1, max: 3 }), amount: fc.integer({ min: 1, max: 300 }), on: fc.integer({ min: 0, max: 700 }) })
    .map(({ id, amount, on }): AccountEvent => ({ type: 'DepositRefunded', data: { depositId: `d-${id}`, amount, refundedOn: day(on) } })),
  fc
    .record({ id: fc.integer({ min: 1, max: 3 }), amount: fc.integer({ min: 1, max: 800 }), on: fc.integer({ min: 0, max: 700 }) })
    .map(({ id, amount, on }): AccountEvent => ({
      type: 'PaymentReceived',
      data: { paymentId: `p-${id}`, amount, receivedOn: day(on), reference: null },
    })),
  fc
    .record({
      kind: fc.constantFrom<SourceKind>('payment', 'deposit', 'credit_note'),
      id: fc.integer({ min: 1, max: 3 }),
      invoice: fc.integer({ min: 1, max: 5 }),
      amount: fc.integer({ min: 1, max: 500 }),
      on: fc.integer({ min: 0, max: 700 }),
    })
    .map(({ kind, id, invoice, amount, on }): AccountEvent => ({
      type: 'PaymentAllocated',
      data: {
        sourceKind: kind,
        sourceId: `${kind === 'payment' ? 'p' : kind === 'deposit' ? 'd' : 'cn'}-${id}`,
        invoiceId: `i-${invoice}`,
        amount,
        allocatedOn: day(on),
      },
    })),
  fc.record({ invoice: fc.integer({ min: 1, max: 5 }), on: fc.integer({ min: 0, max: 700 }) }).map(({ invoice, on }): AccountEvent => ({
    type: 'PaymentRefused',
    data: { invoiceId: `i-${invoice}`, reason: 'short', refusedOn: day(on) },
  })),
  fc.record({ invoice: fc.integer({ min: 1, max: 5 }), on: fc.integer({ min: 0, max: 700 }) }).map(({ invoice, on }): AccountEvent => ({
    type: 'DisputeSettled',
    data: { invoiceId: `i-${invoice}`, outcome: 'customer_pays', settledOn: day(on) },
  })),
  fc
    .record({ invoice: fc.integer({ min: 1, max: 5 }), amount: fc.integer({ min: 1, max: 400 }), on: fc.integer({ min: 0, max: 700 }) })
    .map(({ invoice, amount, on }): AccountEvent => ({
      type: 'InvoiceWrittenOff',
      data: { invoiceId: `i-${invoice}`, amount, reason: 'bad debt', writtenOffOn: day(on) },
    })),
);

type Account = { customerId: string; event: AccountEvent };
const streamOf = (customerOf: Map<unknown, string>) => (event: unknown) => `account-${customerOf.get(event)}`;

/** The ledger through the runtime (each event delivered once and twice): its documents, and its aging rollups apart. */
const project = async (accounts: readonly Account[]) => {
  const customerOf = new Map(accounts.map((a) => [a.event, a.customerId]));
  const docs = Object.values(
    await projectionSpec(receivablesProjection, { streamOf: streamOf(customerOf) })
      .given(accounts.map((a) => a.event))
      .documents(),
  ) as unknown as (ReceivablesLedgerEntry | AgingRollupDoc)[];
  const entries = docs.filter((d): d is ReceivablesLedgerEntry => d.docType !== 'aging');
  const customers = [...new Set(entries.map((d) => d.customerId))];
  return {
    /** Every customer's account as the queries assemble it from its documents (what the list read before ADR 0028). */
    accounts: customers.map((c) =>
      receivablesAccountOf(
        c,
        entries.filter((d) => d.customerId === c && d.docType !== 'reservation'),
      ),
    ),
    /** Accounts and reservation totals: what the as-of list reads besides the aging rollups. */
    now: entries.filter((d): d is ReceivablesAccountDoc | ReservationTotalsDoc => d.docType === 'account' || d.docType === 'totals'),
    ledger: docs.filter((d): d is AgingRollupDoc => d.docType === 'aging'),
  };
};

describe('receivables aging: balances as of a date from dated changes are those of the receivables document (ADR 0028)', () => {
  it('gives every customer row the receivables document gives, as of any date, reading three rollups per customer, its account and its reservation totals', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ customerId: fc.constantFrom(...CUSTOMERS), event: eventArb }), { minLength: 1, maxLength: 25 }),
        fc.array(fc.integer({ min: -10, max: 900 }), { minLength: 1, maxLength: 6 }),
        async (accounts, dates) => {
          const { accounts: assembled, now, ledger } = await project(accounts);
          for (const asOf of dates.map(day)) {
            const periods = agingPeriods(asOf);
            const read = ledger.filter((d) => periods.includes(d.period));
            const fromLedger = agingBalancesAsOf([...now, ...read], asOf)
              .map(({ customerId, ...amounts }) => receivablesRowOf(customerId, amounts, null))
              .sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
            const fromDocuments = assembled
              .map((account) => receivablesRow(customerReceivables(account, asOf, null)))
              .sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
            expect(fromLedger).toEqual(fromDocuments);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps an invoice paid in its month out of every later balance: a year of such invoices leaves nothing in the year rollup', async () => {
    const events: AccountEvent[] = Array.from({ length: 12 }, (_, m) => m).flatMap((m): AccountEvent[] => {
      const on = `2025-${String(m + 1).padStart(2, '0')}-03`;
      return [
        { type: 'InvoicePosted', data: { invoiceId: `i-${m}`, orderId: `o-${m}`, amount: 100, invoiceDate: on, dueDate: addDays(on, 30) } },
        { type: 'PaymentReceived', data: { paymentId: `p-${m}`, amount: 100, receivedOn: addDays(on, 10), reference: null } },
        {
          type: 'PaymentAllocated',
          data: { sourceKind: 'payment', sourceId: `p-${m}`, invoiceId: `i-${m}`, amount: 100, allocatedOn: addDays(on, 10) },
        },
      ];
    });
    const { ledger, now } = await project(events.map((event) => ({ customerId: 'c-1', event })));
    const ids = ledger.map((d) => d.id).sort();
    // Each invoice and its payment cancel out within its month and year: no year rollup, no month-of-year cells left.
    expect(ids).not.toContain('aging:c-1:years');
    expect(ids).not.toContain('aging:c-1:2025');
    expect(ids).toContain('aging:c-1:2025-06');
    expect(agingBalancesAsOf([...now, ...ledger], '2025-06-05')[0]).toMatchObject({
      openReceivables: 100,
      aging: expect.objectContaining({ current: 100 }),
    });
    expect(agingBalancesAsOf([...now, ...ledger], '2026-01-01')[0]).toMatchObject({ openReceivables: 0, unallocatedPayments: 0 });
  });
});
