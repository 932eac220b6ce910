import { projectionSpec } from '@salesline/core/testing';
import { addDays } from '@salesline/shared-kernel';
import { AccountEvent, accountDecider, exposure, unallocatedCredit, unallocatedDeposits } from '../domain/account';
import { customerReceivables, receivablesRow, receivablesTotals } from './receivables-report';
import {
  accountDocId,
  ReceivablesAccount,
  receivablesAccountsOf,
  ReceivablesLedgerEntry,
  receivablesProjection,
} from './receivables.projection';

/** Through the projection as the runtime runs it (each event delivered twice too): the customer id from the stream name. */
const project = async (customerId: string, events: AccountEvent[]): Promise<ReceivablesAccount> => {
  for (const e of events) expect(receivablesProjection.handles).toContain(e.type);
  const docs = await projectionSpec(receivablesProjection, { streamOf: () => `account-${customerId}` })
    .given(events)
    .documents();
  // The account's documents, as the queries read them (the aging rollups beside them are ADR 0028's).
  const accounts = receivablesAccountsOf((Object.values(docs) as ReceivablesLedgerEntry[]).filter((d) => !d.id.startsWith('aging:')));
  expect(accounts.map((a) => a.customerId)).toEqual([customerId]);
  return accounts[0];
};

const invoice = (invoiceId: string, amount: number, invoiceDate: string, dueDate: string, orderId = 'o-1'): AccountEvent => ({
  type: 'InvoicePosted',
  data: { invoiceId, orderId, amount, invoiceDate, dueDate },
});

describe('receivables read model', () => {
  it('is the projection `receivables-ledger`, documents per account stream `account-<customerId>`', async () => {
    expect(receivablesProjection).toMatchObject({ name: 'receivables-ledger', collection: 'receivables_ledger' });
    const doc = await project('c-42', [invoice('i1', 100, '2025-01-01', '2025-01-31')]);
    expect(doc).toMatchObject({ id: 'c-42', customerId: 'c-42' });
    expect(accountDocId('c-42')).toBe('account:c-42');
  });

  describe('aging as of a past date, at the bucket boundaries', () => {
    const asOf = '2025-06-30';
    const overdue = [0, 1, 30, 31, 60, 61, 90, 91];
    // Amounts are distinct powers of ten so each bucket's sum names its invoices.
    const events = overdue.map((days, i) => invoice(`i-${days}`, 10 ** i, addDays(asOf, -days - 30), addDays(asOf, -days)));
    let doc: ReceivablesAccount;
    let report: ReturnType<typeof customerReceivables>;
    beforeAll(async () => {
      doc = await project('c-1', [
        ...events,
        // After asOf: must not count.
        invoice('i-later', 5_000_000_000, '2025-07-01', '2025-07-31'),
        { type: 'PaymentReceived', data: { paymentId: 'p-later', amount: 1, receivedOn: '2025-07-02', reference: null } },
        {
          type: 'PaymentAllocated',
          data: { sourceId: 'p-later', sourceKind: 'payment', invoiceId: 'i-0', amount: 1, allocatedOn: '2025-07-02' },
        },
      ]);
      report = customerReceivables(doc, asOf, { name: 'Acme', creditLimit: 50_000_000 });
    });

    it('puts 0 days overdue in current, then 1–30, 31–60, 61–90 and over 90', () => {
      expect(report.aging).toEqual({
        current: 1,
        days1to30: 110,
        days31to60: 11_000,
        days61to90: 1_100_000,
        over90: 10_000_000,
        total: 11_111_111,
      });
      expect(report.openInvoices.map((i) => [i.invoiceId, i.daysOverdue, i.bucket, i.inDunning])).toEqual([
        ['i-91', 91, 'over90', true],
        ['i-90', 90, 'days61to90', true],
        ['i-61', 61, 'days61to90', true],
        ['i-60', 60, 'days31to60', true],
        ['i-31', 31, 'days31to60', true],
        ['i-30', 30, 'days1to30', true],
        ['i-1', 1, 'days1to30', true],
        ['i-0', 0, 'current', false],
      ]);
      expect(report.openInvoices[0]).toEqual({
        invoiceId: 'i-91',
        orderId: 'o-1',
        invoiceDate: '2025-03-01',
        dueDate: '2025-03-31',
        amount: 10_000_000,
        openBalance: 10_000_000,
        daysOverdue: 91,
        bucket: 'over90',
        disputed: false,
        inDunning: true,
      });
    });

    it('counts nothing dated after asOf', () => {
      expect(report).toMatchObject({ asOf, openReceivables: 11_111_111, unallocatedPayments: 0, inDunningAmount: 11_111_110 });
      // Two days later the late payment has settled i-0 and the late invoice is open.
      const later = customerReceivables(doc, '2025-07-02', null).openInvoices.map((i) => i.invoiceId);
      expect(later).not.toContain('i-0');
      expect(later).toContain('i-later');
    });
  });

  describe('money on account, disputes, reservations, exposure and headroom', () => {
    const events: AccountEvent[] = [
      {
        type: 'CreditReserved',
        data: { orderId: 'o-2', amount: 300_00, exposure: 300_00, creditLimit: 1000_00, decidedOn: '2025-01-01', forcedBy: null },
      },
      { type: 'DepositReceived', data: { depositId: 'dep-1', amount: 150_00, receivedOn: '2025-01-02', reference: null } },
      invoice('i1', 200_00, '2025-01-05', '2025-02-04'),
      // the deposit is consumed by the invoice, as the account decider does
      {
        type: 'PaymentAllocated',
        data: { sourceId: 'dep-1', sourceKind: 'deposit', invoiceId: 'i1', amount: 150_00, allocatedOn: '2025-01-05' },
      },
      { type: 'DepositReceived', data: { depositId: 'dep-2', amount: 40_00, receivedOn: '2025-01-06', reference: null } },
      invoice('i2', 500_00, '2025-01-10', '2025-02-09'),
      { type: 'PaymentRefused', data: { invoiceId: 'i2', reason: 'short delivery', refusedOn: '2025-02-15' } },
      { type: 'PaymentReceived', data: { paymentId: 'p1', amount: 70_00, receivedOn: '2025-02-20', reference: null } },
      {
        type: 'PaymentAllocated',
        data: { sourceId: 'p1', sourceKind: 'payment', invoiceId: 'i1', amount: 50_00, allocatedOn: '2025-02-20' },
      },
      { type: 'InvoicePosted', data: { invoiceId: 'i3', orderId: 'o-3', amount: 30_00, invoiceDate: '2025-02-21', dueDate: '2025-03-23' } },
      {
        type: 'PaymentAllocated',
        data: { sourceId: 'p1', sourceKind: 'payment', invoiceId: 'i3', amount: 20_00, allocatedOn: '2025-02-21' },
      },
      { type: 'CreditNotePosted', data: { creditNoteId: 'cn1', invoiceId: 'i3', orderId: 'o-3', amount: 25_00, issuedOn: '2025-02-22' } },
    ];
    let doc: ReceivablesAccount;
    beforeAll(async () => {
      doc = await project('c-1', events);
    });

    it('splits unallocated money by kind and reports disputed and dunned balances', () => {
      const r = customerReceivables(doc, '2025-03-01', { name: 'Acme', creditLimit: 1000_00 });
      expect(r).toMatchObject({
        customerName: 'Acme',
        openReceivables: 500_00, // i1 paid (150 + 50), i2 open 500, i3 paid 20 + credited 10
        depositsOnHand: 40_00,
        unallocatedPayments: 0,
        unallocatedCreditNotes: 15_00, // cn1 25 − the 10 still open on i3
        unallocatedCredit: 55_00,
        disputedAmount: 500_00,
        inDunningAmount: 0,
        reservedForOrders: 300_00,
        exposure: 745_00, // 500 + 300 − 55
        creditLimit: 1000_00,
        headroom: 255_00,
      });
      expect(r.openInvoices).toEqual([
        expect.objectContaining({ invoiceId: 'i2', openBalance: 500_00, daysOverdue: 20, disputed: true, inDunning: false }),
      ]);
      // Before the refusal, i2 (and the rest of i1) were overdue and in dunning.
      expect(customerReceivables(doc, '2025-02-14', null)).toMatchObject({
        disputedAmount: 0,
        inDunningAmount: 550_00,
        creditLimit: null,
        headroom: null,
      });
    });

    it('computes exposure as the account decider does', () => {
      const state = events.reduce(accountDecider.evolve, accountDecider.initialState());
      const today = customerReceivables(doc, '2099-12-31', null);
      expect(today.exposure).toBe(exposure(state));
      expect(today.unallocatedCredit).toBe(unallocatedCredit(state));
      expect(today.depositsOnHand).toBe(unallocatedDeposits(state));
    });

    it('sums company totals over the customer rows', async () => {
      const other = await project('c-2', [invoice('j1', 100_00, '2025-01-01', '2025-01-31', 'o-9')]);
      const rows = [
        customerReceivables(doc, '2025-03-01', { name: 'Acme', creditLimit: 1000_00 }),
        customerReceivables(other, '2025-03-01', null),
      ].map(receivablesRow);
      expect(rows[0]).not.toHaveProperty('openInvoices');
      expect(receivablesTotals(rows)).toEqual({
        customers: 2,
        openReceivables: 600_00,
        aging: { current: 0, days1to30: 600_00, days31to60: 0, days61to90: 0, over90: 0, total: 600_00 },
        depositsOnHand: 40_00,
        unallocatedPayments: 0,
        unallocatedCreditNotes: 15_00,
        unallocatedCredit: 55_00,
        disputedAmount: 500_00,
        inDunningAmount: 100_00,
        reservedForOrders: 300_00,
        exposure: 845_00,
        creditLimit: 1000_00,
        headroom: 255_00,
      });
    });
  });
});
