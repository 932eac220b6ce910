import { assertNever } from '@salesline/shared-kernel';
import {
  AccountCommand,
  AccountEvent,
  AccountState,
  CreditReservationRefused,
  creditNotePosted,
  invoiceOn,
  reservationOf,
} from '@salesline/receivables/domain';
import { HoldOrderForCredit, OrderEvent } from './order';
import { PlacedOrder, reservationAdjustment } from './order-state';

/**
 * The order-to-account process (ADR 0110, 0111) as pure rules, run by the `order-account-sync`
 * process manager and by the property test alike: after an order event, which account command is
 * due next (looked up on the account first, so repeating a reaction changes nothing), and what the
 * order must do when the account refuses credit.
 */
export type AccountCommandData = {
  [K in AccountCommand['type']]: { type: K; data: Extract<AccountCommand, { type: K }>['data'] };
}[AccountCommand['type']];

/** The business date of the fact an order event records; what the account writes in consequence carries it. */
export const businessDateOf = (event: OrderEvent): string => {
  switch (event.type) {
    case 'OrderPlaced':
      return event.data.orderDate;
    case 'PriceOverrideRequested':
      return event.data.requestedOn;
    case 'PriceOverrideApproved':
      return event.data.approvedOn;
    case 'PriceOverrideRejected':
      return event.data.rejectedOn;
    case 'OrderConfirmed':
      return event.data.checkedOn;
    case 'OrderPutOnCreditHold':
      return event.data.heldOn;
    case 'CreditHoldReleased':
      return event.data.releasedOn;
    case 'GoodsDelivered':
      return event.data.deliveryDate;
    case 'ReturnRequested':
      return event.data.requestedOn;
    case 'ReturnAccepted':
      return event.data.acceptedOn;
    case 'ReturnRefused':
      return event.data.refusedOn;
    case 'ReturnedGoodsReceived':
      return event.data.receivedOn;
    case 'CreditNoteIssued':
      return event.data.issuedOn;
    case 'InvoiceIssued':
      return event.data.invoiceDate;
    case 'OrderCancelled':
      return event.data.cancelledOn;
    default:
      return assertNever(event);
  }
};

/** The order events after which the account may have something to do. */
export const ORDER_EVENTS_FOR_ACCOUNT: readonly OrderEvent['type'][] = [
  'InvoiceIssued',
  'CreditNoteIssued',
  'OrderConfirmed',
  'OrderPutOnCreditHold',
  'CreditHoldReleased',
  'OrderCancelled',
  'PriceOverrideApproved',
  'PriceOverrideRejected',
  'ReturnedGoodsReceived',
  'GoodsDelivered',
];

/**
 * The next account command an order event calls for, or null when the account already agrees.
 * `order` is the order's current state (after the event). The reservation follows
 * `creditReservationTarget`; growth is checked by the account against the customer's limit unless
 * a finance release forces it, and a checked growth waits until every invoice and credit note of
 * the order is on the account, so a replacement is checked against what the customer owes after
 * its credit note.
 */
export const nextAccountCommand = (
  event: OrderEvent,
  order: PlacedOrder,
  account: AccountState,
  customer: { creditLimit: number | null; blocked: boolean },
): AccountCommandData | null => {
  if (!ORDER_EVENTS_FOR_ACCOUNT.includes(event.type)) return null;
  if (event.type === 'InvoiceIssued' && !invoiceOn(account, event.data.invoiceId)) {
    const d = event.data;
    return {
      type: 'PostInvoice',
      data: { invoiceId: d.invoiceId, orderId: d.orderId, amount: d.amount, invoiceDate: d.invoiceDate, dueDate: d.dueDate },
    };
  }
  if (event.type === 'CreditNoteIssued' && !creditNotePosted(account, event.data.creditNoteId)) {
    const d = event.data;
    return {
      type: 'PostCreditNote',
      data: { creditNoteId: d.creditNoteId, invoiceId: d.invoiceId, orderId: d.orderId, amount: d.amount, issuedOn: d.issuedOn },
    };
  }
  const current = reservationOf(account, order.orderId);
  const adjustment = reservationAdjustment(order, current);
  if (!adjustment) return null;
  // Growth the account must check waits until every invoice and credit note of the order is posted.
  const checked = adjustment.amount > current && !adjustment.forcedBy;
  if (checked && order.invoices.some((i) => !invoiceOn(account, i.invoiceId))) return null;
  if (checked && order.creditNoteIds.some((id) => !creditNotePosted(account, id))) return null;
  return {
    type: 'ReserveCredit',
    data: {
      orderId: order.orderId,
      amount: adjustment.amount,
      creditLimit: customer.creditLimit,
      customerBlocked: customer.blocked,
      force: adjustment.forcedBy ? { releasedBy: adjustment.forcedBy } : null,
      decidedOn: businessDateOf(event),
    },
  };
};

/** When the account refused the credit an order needs, the order waits on credit hold (HoldOrderForCredit). */
export const holdAfterRefusal = (accountEvents: readonly AccountEvent[]): HoldOrderForCredit['data'] | null => {
  const refused = accountEvents.find((e): e is CreditReservationRefused => e.type === 'CreditReservationRefused');
  if (!refused) return null;
  const d = refused.data;
  return { cause: d.reason, exposure: d.exposure, creditLimit: d.creditLimit, checkedAmount: d.amount, heldOn: d.decidedOn };
};
