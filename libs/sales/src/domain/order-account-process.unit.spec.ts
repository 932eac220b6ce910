import { foldPlacedOrder, goodsDelivered, orderConfirmed, placedOrder } from '../testing/order-fixtures';
import { accountDecider, AccountEvent, AccountState } from '@salesline/receivables/domain';
import { businessDateOf, holdAfterRefusal, nextAccountCommand } from './order-account-process';
import { OrderEvent } from './order';

const fold = foldPlacedOrder;
const account = (...events: AccountEvent[]): AccountState => events.reduce(accountDecider.evolve, accountDecider.initialState());
const customer = { creditLimit: 1000, blocked: false };

const placed = placedOrder;
const confirmed = orderConfirmed(1000, 1000);
const delivered = goodsDelivered('d1', [{ lineId: 'L1', quantity: 10 }], '2025-03-02');
const invoiced: OrderEvent = {
  type: 'InvoiceIssued',
  data: {
    invoiceId: 'i1',
    orderId: 'o-1',
    customerId: 'c-1',
    invoiceDate: '2025-03-03',
    dueDate: '2025-04-02',
    lines: [{ lineId: 'L1', quantity: 10, unitPrice: 100, amount: 1000 }],
    amount: 1000,
  },
};
const received: OrderEvent = {
  type: 'ReturnedGoodsReceived',
  data: { orderId: 'o-1', returnId: 'r1', receivedOn: '2025-03-05', replacement: true, lines: [{ lineId: 'L1', quantity: 2 }] },
};
const creditNote: OrderEvent = {
  type: 'CreditNoteIssued',
  data: {
    creditNoteId: 'r1-cn1',
    invoiceId: 'i1',
    orderId: 'o-1',
    customerId: 'c-1',
    returnId: 'r1',
    issuedOn: '2025-03-05',
    lines: [{ lineId: 'L1', quantity: 2, unitPrice: 100, amount: 200 }],
    amount: 200,
  },
};
const reserved = (amount: number): AccountEvent => ({
  type: 'CreditReserved',
  data: { orderId: 'o-1', amount, exposure: amount, creditLimit: 1000, decidedOn: '2025-03-01', forcedBy: null },
});
const posted: AccountEvent = {
  type: 'InvoicePosted',
  data: { invoiceId: 'i1', orderId: 'o-1', amount: 1000, invoiceDate: '2025-03-03', dueDate: '2025-04-02' },
};

describe('The order-to-account process (nextAccountCommand, holdAfterRefusal)', () => {
  it('posts an invoice not yet on the account, then has nothing more to do', () => {
    const order = fold(placed, confirmed, delivered, invoiced);
    expect(nextAccountCommand(invoiced, order, account(reserved(1000)), customer)).toEqual({
      type: 'PostInvoice',
      data: { invoiceId: 'i1', orderId: 'o-1', amount: 1000, invoiceDate: '2025-03-03', dueDate: '2025-04-02' },
    });
    expect(nextAccountCommand(invoiced, order, account(reserved(1000), posted), customer)).toBeNull();
  });
  it('reserves a replacement again only after its credit note is posted, checked against the limit, dated by the receipt', () => {
    const order = fold(placed, confirmed, delivered, invoiced, received, creditNote);
    const before = account(reserved(1000), posted);
    // the reaction to the receipt waits for the credit note
    expect(nextAccountCommand(received, order, before, customer)).toBeNull();
    expect(nextAccountCommand(creditNote, order, before, customer)).toMatchObject({
      type: 'PostCreditNote',
      data: { creditNoteId: 'r1-cn1', amount: 200 },
    });
    const after = account(reserved(1000), posted, {
      type: 'CreditNotePosted',
      data: { creditNoteId: 'r1-cn1', invoiceId: 'i1', orderId: 'o-1', amount: 200, issuedOn: '2025-03-05' },
    });
    expect(nextAccountCommand(creditNote, order, after, customer)).toEqual({
      type: 'ReserveCredit',
      data: { orderId: 'o-1', amount: 200, creditLimit: 1000, customerBlocked: false, force: null, decidedOn: '2025-03-05' },
    });
  });
  it("a refusal by the account puts the order on hold with the account's figures", () => {
    expect(
      holdAfterRefusal([
        {
          type: 'CreditReservationRefused',
          data: {
            orderId: 'o-1',
            amount: 200,
            exposure: 1200,
            creditLimit: 1000,
            reason: 'credit_limit_exceeded',
            decidedOn: '2025-03-05',
          },
        },
      ]),
    ).toEqual({ cause: 'credit_limit_exceeded', exposure: 1200, creditLimit: 1000, checkedAmount: 200, heldOn: '2025-03-05' });
    expect(holdAfterRefusal([reserved(200)])).toBeNull();
  });
  it('every order event names its business date', () => {
    expect([placed, confirmed, delivered, invoiced, received, creditNote].map(businessDateOf)).toEqual([
      '2025-03-01',
      '2025-03-01',
      '2025-03-02',
      '2025-03-03',
      '2025-03-05',
      '2025-03-05',
    ]);
  });
});
