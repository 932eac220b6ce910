import { Role } from '@salesline/shared-kernel';
import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { AccountCommand, accountDecider, AccountEvent, disputedAmount, dunnableInvoices, exposure, openInvoices } from './account';
import { openReceivables, reservedForOrders, unallocatedCreditNotes, unallocatedDeposits, unallocatedPayments } from './account';

const spec = deciderSpec(accountDecider);
const TODAY = '2025-03-10';
const cmd = <T extends AccountCommand>(type: T['type'], data: T['data'], roles: Role[] = ['finance']) =>
  commandOf<AccountCommand>(type, data, { roles, userId: `u-${roles[0]}`, today: TODAY }) as T;

const reserved = (orderId: string, amount: number, exposureAfter = amount): AccountEvent => ({
  type: 'CreditReserved',
  data: { orderId, amount, exposure: exposureAfter, creditLimit: 1000_00, decidedOn: TODAY, forcedBy: null },
});
const posted = (invoiceId: string, amount: number, dueDate: string, orderId = 'o-1'): AccountEvent => ({
  type: 'InvoicePosted',
  data: { invoiceId, orderId, amount, invoiceDate: '2025-03-01', dueDate },
});
const deposit = (depositId: string, amount: number, receivedOn = '2025-02-20'): AccountEvent => ({
  type: 'DepositReceived',
  data: { depositId, amount, receivedOn, reference: null },
});
const payment = (paymentId: string, amount: number): AccountEvent => ({
  type: 'PaymentReceived',
  data: { paymentId, amount, receivedOn: TODAY, reference: 'wire' },
});
const allocated = (
  sourceId: string,
  sourceKind: 'payment' | 'deposit' | 'credit_note',
  invoiceId: string,
  amount: number,
  allocatedOn = TODAY,
): AccountEvent => ({
  type: 'PaymentAllocated',
  data: { sourceId, sourceKind, invoiceId, amount, allocatedOn },
});
const reserve = (orderId: string, amount: number, over: Record<string, unknown> = {}, roles: Role[] = ['salesperson']) =>
  cmd('ReserveCredit', { orderId, amount, creditLimit: 1000_00, customerBlocked: false, ...over }, roles);

describe('Customer account', () => {
  describe('credit reservations', () => {
    it('reserves credit when exposure with the order stays within the limit', () => {
      spec
        .given()
        .when(reserve('o-1', 600_00))
        .then([reserved('o-1', 600_00)]);
    });
    it('refuses when another order already took the credit (the race is serialised on this stream)', () => {
      spec
        .given(reserved('o-1', 600_00))
        .when(reserve('o-2', 500_00))
        .then([
          {
            type: 'CreditReservationRefused',
            data: {
              orderId: 'o-2',
              amount: 500_00,
              exposure: 1100_00,
              creditLimit: 1000_00,
              reason: 'credit_limit_exceeded',
              decidedOn: TODAY,
            },
          },
        ]);
    });
    it('refuses a blocked customer', () => {
      const events = spec
        .given()
        .when(reserve('o-1', 1, { customerBlocked: true }))
        .events();
      expect(events[0]).toMatchObject({ type: 'CreditReservationRefused', data: { reason: 'customer_blocked' } });
    });
    it('is idempotent per order: re-reserving replaces the amount (same amount: nothing)', () => {
      spec.given(reserved('o-1', 600_00)).when(reserve('o-1', 600_00)).then([]);
      spec
        .given(reserved('o-1', 600_00))
        .when(reserve('o-1', 900_00))
        .then([reserved('o-1', 900_00)]);
      expect(spec.given(reserved('o-1', 600_00)).when(reserve('o-1', 1100_00)).events()[0].type).toBe('CreditReservationRefused');
      const state = spec.given(reserved('o-1', 600_00), reserved('o-1', 200_00)).state();
      expect(reservedForOrders(state)).toBe(200_00);
    });
    it('open receivables count and unallocated money reduces exposure', () => {
      const events = spec
        .given(posted('i1', 800_00, '2025-03-31'), payment('p1', 100_00))
        .when(reserve('o-2', 300_00))
        .events();
      expect(events[0]).toMatchObject({ type: 'CreditReserved', data: { exposure: 1000_00 } });
    });
    it('a finance release forces the reservation; others may not: CreditReleaseForbidden', () => {
      spec
        .given(reserved('o-1', 900_00))
        .when(reserve('o-2', 500_00, { force: { releasedBy: 'u-fin' } }))
        .thenThrows('CreditReleaseForbidden', 'forbidden');
      spec
        .given(reserved('o-1', 900_00))
        .when(reserve('o-2', 500_00, { force: { releasedBy: 'u-fin' } }, ['finance']))
        .then([
          {
            type: 'CreditReserved',
            data: { orderId: 'o-2', amount: 500_00, exposure: 1400_00, creditLimit: 1000_00, decidedOn: TODAY, forcedBy: 'u-fin' },
          },
        ]);
    });
    it('ReleaseCreditReservation → CreditReservationReleased (all by default); more than reserved: ReleaseExceedsReservation', () => {
      spec
        .given(reserved('o-1', 600_00))
        .when(cmd('ReleaseCreditReservation', { orderId: 'o-1' }))
        .then([{ type: 'CreditReservationReleased', data: { orderId: 'o-1', amount: 600_00, releasedOn: TODAY } }]);
      spec
        .given(reserved('o-1', 600_00))
        .when(cmd('ReleaseCreditReservation', { orderId: 'o-1', amount: 700_00 }))
        .thenThrows('ReleaseExceedsReservation');
      spec
        .given()
        .when(cmd('ReleaseCreditReservation', { orderId: 'o-1' }))
        .then([]);
    });
  });

  describe('invoices', () => {
    it('InvoicePosted moves the order reservation into receivables: exposure is unchanged by billing', () => {
      const before = spec.given(reserved('o-1', 600_00)).state();
      const after = spec
        .given(reserved('o-1', 600_00))
        .when(cmd('PostInvoice', { invoiceId: 'i1', orderId: 'o-1', amount: 400_00, invoiceDate: '2025-03-01', dueDate: '2025-03-31' }))
        .then([posted('i1', 400_00, '2025-03-31')]);
      expect(exposure(after)).toBe(exposure(before));
      expect(reservedForOrders(after)).toBe(200_00);
      expect(openReceivables(after)).toBe(400_00);
    });
    it('refuses a repeated invoice: InvoiceAlreadyPosted; a due date before the invoice date: InvalidDueDate', () => {
      spec
        .given(posted('i1', 1, '2025-03-31'))
        .when(cmd('PostInvoice', { invoiceId: 'i1', orderId: 'o-1', amount: 1, invoiceDate: '2025-03-01', dueDate: '2025-03-31' }))
        .thenThrows('InvoiceAlreadyPosted', 'conflict');
      spec
        .given()
        .when(cmd('PostInvoice', { invoiceId: 'i1', orderId: 'o-1', amount: 1, invoiceDate: '2025-03-01', dueDate: '2025-02-28' }))
        .thenThrows('InvalidDueDate');
    });
    it('unallocated deposits are consumed automatically by the invoices, oldest due first', () => {
      const state = spec
        .given(posted('i0', 100_00, '2025-03-15'), deposit('dep-1', 300_00))
        .when(cmd('PostInvoice', { invoiceId: 'i1', orderId: 'o-1', amount: 400_00, invoiceDate: '2025-03-01', dueDate: '2025-03-31' }))
        .then([
          posted('i1', 400_00, '2025-03-31'),
          allocated('dep-1', 'deposit', 'i0', 100_00, '2025-03-01'),
          allocated('dep-1', 'deposit', 'i1', 200_00, '2025-03-01'),
        ]);
      expect(unallocatedDeposits(state)).toBe(0);
      expect(openReceivables(state)).toBe(200_00);
    });
  });

  describe('payments and allocations', () => {
    const twoInvoices = [posted('i2', 300_00, '2025-04-30'), posted('i1', 200_00, '2025-03-31')];
    it('a payment without allocations pays the oldest due first; the rest stays unallocated credit', () => {
      const state = spec
        .given(...twoInvoices)
        .when(cmd('ReceivePayment', { paymentId: 'p1', amount: 600_00, receivedOn: TODAY, reference: 'wire' }))
        .then([payment('p1', 600_00), allocated('p1', 'payment', 'i1', 200_00), allocated('p1', 'payment', 'i2', 300_00)]);
      expect(unallocatedPayments(state)).toBe(100_00);
      expect(openReceivables(state)).toBe(0);
    });
    it('a payment with allocations chosen by the caller', () => {
      spec
        .given(...twoInvoices)
        .when(
          cmd('ReceivePayment', {
            paymentId: 'p1',
            amount: 100_00,
            receivedOn: TODAY,
            reference: 'wire',
            allocations: [{ invoiceId: 'i2', amount: 100_00 }],
          }),
        )
        .then([payment('p1', 100_00), allocated('p1', 'payment', 'i2', 100_00)]);
    });
    it('never over-allocates an invoice: AllocationExceedsOpenBalance; nor a source: AllocationExceedsUnallocated', () => {
      const pay = (allocations: { invoiceId: string; amount: number }[], amount = 1000_00) =>
        cmd('ReceivePayment', { paymentId: 'p1', amount, receivedOn: TODAY, allocations });
      spec
        .given(...twoInvoices)
        .when(pay([{ invoiceId: 'i1', amount: 200_01 }]))
        .thenThrows('AllocationExceedsOpenBalance');
      spec
        .given(...twoInvoices)
        .when(
          pay([
            { invoiceId: 'i1', amount: 150_00 },
            { invoiceId: 'i1', amount: 50_01 },
          ]),
        )
        .thenThrows('AllocationExceedsOpenBalance');
      spec
        .given(...twoInvoices)
        .when(
          pay(
            [
              { invoiceId: 'i1', amount: 200_00 },
              { invoiceId: 'i2', amount: 100_00 },
            ],
            250_00,
          ),
        )
        .thenThrows('AllocationExceedsUnallocated');
      spec
        .given(...twoInvoices)
        .when(pay([{ invoiceId: 'i9', amount: 1 }]))
        .thenThrows('InvoiceNotFound', 'not_found');
    });
    it('AllocateCredit allocates unallocated money later, one event per allocation', () => {
      const given = [payment('p1', 100_00), ...twoInvoices];
      spec
        .given(...given)
        .when(cmd('AllocateCredit', { sourceId: 'p1', sourceKind: 'payment', invoiceId: 'i2', amount: 100_00 }))
        .then([allocated('p1', 'payment', 'i2', 100_00)]);
      spec
        .given(...given)
        .when(cmd('AllocateCredit', { sourceId: 'p1', sourceKind: 'payment', invoiceId: 'i2', amount: 100_01 }))
        .thenThrows('AllocationExceedsUnallocated');
      spec
        .given(...given)
        .when(cmd('AllocateCredit', { sourceId: 'p1', sourceKind: 'deposit', invoiceId: 'i2', amount: 1 }))
        .thenThrows('CreditSourceNotFound', 'not_found');
      spec
        .given(...given)
        .when(cmd('AllocateCredit', { sourceId: 'p1', sourceKind: 'payment', invoiceId: 'i2', amount: 0 }))
        .thenThrows('InvalidAmount');
    });
    it('refuses a repeated payment or deposit id', () => {
      spec
        .given(payment('p1', 1))
        .when(cmd('ReceivePayment', { paymentId: 'p1', amount: 1, receivedOn: TODAY }))
        .thenThrows('PaymentAlreadyReceived', 'conflict');
      spec
        .given(deposit('d1', 1))
        .when(cmd('ReceiveDeposit', { depositId: 'd1', amount: 1, receivedOn: TODAY }))
        .thenThrows('DepositAlreadyReceived', 'conflict');
    });
    it('only finance or an integration records money: ReceivablesForbidden', () => {
      spec
        .given()
        .when(cmd('ReceivePayment', { paymentId: 'p1', amount: 1, receivedOn: TODAY }, ['salesperson']))
        .thenThrows('ReceivablesForbidden', 'forbidden');
      spec
        .given()
        .when(cmd('ReceiveDeposit', { depositId: 'd1', amount: 1, receivedOn: TODAY }, ['integration']))
        .events();
    });
  });

  describe('deposits', () => {
    it('ReceiveDeposit → DepositReceived; it lowers exposure until consumed', () => {
      const state = spec
        .given(reserved('o-1', 500_00))
        .when(cmd('ReceiveDeposit', { depositId: 'd1', amount: 200_00, receivedOn: TODAY, reference: 'adv' }))
        .then([{ type: 'DepositReceived', data: { depositId: 'd1', amount: 200_00, receivedOn: TODAY, reference: 'adv' } }]);
      expect(exposure(state)).toBe(300_00);
    });
    it('RefundDeposit refunds only the unallocated part: RefundExceedsUnallocated', () => {
      const given = [deposit('d1', 300_00), posted('i1', 100_00, '2025-03-31'), allocated('d1', 'deposit', 'i1', 100_00)];
      spec
        .given(...given)
        .when(cmd('RefundDeposit', { depositId: 'd1' }))
        .then([{ type: 'DepositRefunded', data: { depositId: 'd1', amount: 200_00, refundedOn: TODAY } }]);
      spec
        .given(...given)
        .when(cmd('RefundDeposit', { depositId: 'd1', amount: 200_01 }))
        .thenThrows('RefundExceedsUnallocated');
      spec
        .given()
        .when(cmd('RefundDeposit', { depositId: 'd1' }))
        .thenThrows('DepositNotFound', 'not_found');
    });
  });

  describe('credit notes', () => {
    it('reduce the invoice open balance', () => {
      const state = spec
        .given(posted('i1', 300_00, '2025-03-31'))
        .when(cmd('PostCreditNote', { creditNoteId: 'cn1', invoiceId: 'i1', orderId: 'o-1', amount: 100_00, issuedOn: TODAY }))
        .then([
          { type: 'CreditNotePosted', data: { creditNoteId: 'cn1', invoiceId: 'i1', orderId: 'o-1', amount: 100_00, issuedOn: TODAY } },
        ]);
      expect(openReceivables(state)).toBe(200_00);
    });
    it('on a paid invoice the excess becomes unallocated credit on the account (ADR 0108)', () => {
      const given = [posted('i1', 300_00, '2025-03-31'), payment('p1', 250_00), allocated('p1', 'payment', 'i1', 250_00)];
      const state = spec
        .given(...given)
        .when(cmd('PostCreditNote', { creditNoteId: 'cn1', invoiceId: 'i1', orderId: 'o-1', amount: 100_00, issuedOn: TODAY }))
        .then([
          { type: 'CreditNotePosted', data: { creditNoteId: 'cn1', invoiceId: 'i1', orderId: 'o-1', amount: 100_00, issuedOn: TODAY } },
        ]);
      expect(openReceivables(state)).toBe(0);
      expect(unallocatedCreditNotes(state)).toBe(50_00);
      spec
        .given(...given, posted('i2', 80_00, '2025-04-30'), {
          type: 'CreditNotePosted',
          data: { creditNoteId: 'cn1', invoiceId: 'i1', orderId: 'o-1', amount: 100_00, issuedOn: TODAY },
        })
        .when(cmd('AllocateCredit', { sourceId: 'cn1', sourceKind: 'credit_note', invoiceId: 'i2', amount: 50_00 }))
        .then([allocated('cn1', 'credit_note', 'i2', 50_00)]);
    });
    it('never credit more than the invoice: CreditNoteExceedsInvoice; repeated: CreditNoteAlreadyPosted', () => {
      const cn: AccountEvent = {
        type: 'CreditNotePosted',
        data: { creditNoteId: 'cn1', invoiceId: 'i1', orderId: 'o-1', amount: 200_00, issuedOn: TODAY },
      };
      spec
        .given(posted('i1', 300_00, '2025-03-31'), cn)
        .when(cmd('PostCreditNote', { creditNoteId: 'cn2', invoiceId: 'i1', orderId: 'o-1', amount: 100_01, issuedOn: TODAY }))
        .thenThrows('CreditNoteExceedsInvoice');
      spec
        .given(posted('i1', 300_00, '2025-03-31'), cn)
        .when(cmd('PostCreditNote', { creditNoteId: 'cn1', invoiceId: 'i1', orderId: 'o-1', amount: 1, issuedOn: TODAY }))
        .thenThrows('CreditNoteAlreadyPosted', 'conflict');
      spec
        .given()
        .when(cmd('PostCreditNote', { creditNoteId: 'cn1', invoiceId: 'i1', orderId: 'o-1', amount: 1, issuedOn: TODAY }))
        .thenThrows('InvoiceNotFound');
    });
  });

  describe('refusal to pay, disputes and write-offs', () => {
    const refused: AccountEvent = { type: 'PaymentRefused', data: { invoiceId: 'i1', reason: 'goods damaged', refusedOn: TODAY } };
    it('PaymentRefused takes the invoice out of dunning but keeps it in exposure', () => {
      const state = spec
        .given(posted('i1', 300_00, '2025-03-01'))
        .when(cmd('RefusePayment', { invoiceId: 'i1', reason: 'goods damaged' }))
        .then([refused]);
      expect(dunnableInvoices(state, TODAY)).toEqual([]);
      expect(exposure(state)).toBe(300_00);
      expect(disputedAmount(state)).toBe(300_00);
      expect(dunnableInvoices(spec.given(posted('i1', 300_00, '2025-03-01')).state(), TODAY).map((i) => i.invoiceId)).toEqual(['i1']);
    });
    it('automatic allocation skips disputed invoices', () => {
      const events = spec
        .given(posted('i1', 300_00, '2025-03-01'), refused, posted('i2', 100_00, '2025-04-01'))
        .when(cmd('ReceivePayment', { paymentId: 'p1', amount: 100_00, receivedOn: TODAY }))
        .events();
      expect(events[1]).toMatchObject({ data: { invoiceId: 'i2' } });
    });
    it('RefusePayment needs a reason and an open invoice', () => {
      spec
        .given(posted('i1', 300_00, '2025-03-01'))
        .when(cmd('RefusePayment', { invoiceId: 'i1', reason: '' }))
        .thenThrows('ReasonRequired');
      spec
        .given(posted('i1', 300_00, '2025-03-01'), payment('p1', 300_00), allocated('p1', 'payment', 'i1', 300_00))
        .when(cmd('RefusePayment', { invoiceId: 'i1', reason: 'x' }))
        .thenThrows('InvoiceNotOpen');
    });
    it('SettleDispute → DisputeSettled; not disputed: InvoiceNotDisputed', () => {
      const state = spec
        .given(posted('i1', 300_00, '2025-03-01'), refused)
        .when(cmd('SettleDispute', { invoiceId: 'i1', outcome: 'customer_pays' }))
        .then([{ type: 'DisputeSettled', data: { invoiceId: 'i1', outcome: 'customer_pays', settledOn: TODAY } }]);
      expect(openInvoices(state)[0].disputed).toBe(false);
      spec
        .given(posted('i1', 300_00, '2025-03-01'))
        .when(cmd('SettleDispute', { invoiceId: 'i1', outcome: 'credited' }))
        .thenThrows('InvoiceNotDisputed', 'conflict');
    });
    it('WriteOffInvoice: finance or admin only, with a reason, up to the open balance', () => {
      const given = [posted('i1', 300_00, '2025-03-01')];
      spec
        .given(...given)
        .when(cmd('WriteOffInvoice', { invoiceId: 'i1', reason: 'insolvent' }, ['sales_manager']))
        .thenThrows('WriteOffForbidden', 'forbidden');
      spec
        .given(...given)
        .when(cmd('WriteOffInvoice', { invoiceId: 'i1', reason: '' }))
        .thenThrows('ReasonRequired');
      spec
        .given(...given)
        .when(cmd('WriteOffInvoice', { invoiceId: 'i1', reason: 'x', amount: 300_01 }))
        .thenThrows('WriteOffExceedsOpenBalance');
      const state = spec
        .given(...given)
        .when(cmd('WriteOffInvoice', { invoiceId: 'i1', reason: 'insolvent' }, ['admin']))
        .then([{ type: 'InvoiceWrittenOff', data: { invoiceId: 'i1', amount: 300_00, reason: 'insolvent', writtenOffOn: TODAY } }]);
      expect(openReceivables(state)).toBe(0);
    });
  });
});
