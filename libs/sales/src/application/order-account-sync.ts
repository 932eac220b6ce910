import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EVENT_STORE, EventStore, loadState, ProcessManager, ProcessManagerRegistry, RecordedEvent } from '@salesline/core';
import { CustomerAccounts, reservationOf } from '@salesline/receivables';
import { CreditNoteIssued, InvoiceIssued, orderDecider, OrderEvent, OrderState } from '../domain';
import { reservationAdjustment } from '../domain/order-state';
import { systemRequest } from './system-actor';

type CausingEvent = Pick<RecordedEvent, 'type' | 'data' | 'streamName' | 'revision'> & { metadata: { correlationId: string } };

const HANDLES: readonly OrderEvent['type'][] = [
  'InvoiceIssued',
  'CreditNoteIssued',
  'OrderConfirmed',
  'OrderPutOnCreditHold',
  'CreditHoldReleased',
  'OrderCancelled',
  'PriceOverrideApproved',
  'PriceOverrideRejected',
  'ReturnedGoodsReceived',
];

/**
 * Carries an order's money effects to the customer's account (`account-<customerId>`):
 * invoices and credit notes become receivables, and the credit reserved for the order follows
 * what is still unbilled (released when cancelled, forced after a finance release, nothing while
 * on hold). Every reaction first looks at the account, so running it twice changes nothing.
 */
@Injectable()
export class OrderAccountSync implements ProcessManager, OnModuleInit {
  readonly name = 'order-account-sync';
  readonly handles = HANDLES;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly accounts: CustomerAccounts,
    private readonly registry: ProcessManagerRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async react(event: CausingEvent): Promise<void> {
    await this.reactAndReport(event);
  }

  /** Reacts and returns the global position of the last account event written (0 when none). */
  async reactAndReport(event: CausingEvent): Promise<number> {
    if (!this.handles.includes(event.type as OrderEvent['type'])) return 0;
    const { state: order } = await loadState(this.events, event.streamName, orderDecider);
    if (order.status !== 'placed') return 0;
    const request = systemRequest({ correlationId: event.metadata.correlationId, causationId: `${event.streamName}@${event.revision}` });
    let position = 0;
    const account = await this.accounts.state(order.customerId);
    if (event.type === 'InvoiceIssued') {
      const d = (event as unknown as InvoiceIssued).data;
      if (!account.invoices[d.invoiceId]) {
        const posted = await this.accounts.execute(
          order.customerId,
          { type: 'PostInvoice', data: { invoiceId: d.invoiceId, orderId: d.orderId, amount: d.amount, invoiceDate: d.invoiceDate, dueDate: d.dueDate } },
          request,
        );
        position = posted.position;
      }
    }
    if (event.type === 'CreditNoteIssued') {
      const d = (event as unknown as CreditNoteIssued).data;
      const posted = Object.values(account.invoices).some((i) => i.creditNoteIds.includes(d.creditNoteId));
      if (!posted) {
        const result = await this.accounts.execute(
          order.customerId,
          { type: 'PostCreditNote', data: { creditNoteId: d.creditNoteId, invoiceId: d.invoiceId, orderId: d.orderId, amount: d.amount, issuedOn: d.issuedOn } },
          request,
        );
        position = result.position;
      }
    }
    return Math.max(position, await this.syncReservation(order, request));
  }

  private async syncReservation(order: Extract<OrderState, { status: 'placed' }>, request: ReturnType<typeof systemRequest>): Promise<number> {
    const account = await this.accounts.state(order.customerId);
    const adjustment = reservationAdjustment(order, reservationOf(account, order.orderId));
    if (!adjustment) return 0;
    const force = adjustment.forcedBy ? { releasedBy: adjustment.forcedBy } : null;
    const result = await this.accounts.execute(
      order.customerId,
      { type: 'ReserveCredit', data: { orderId: order.orderId, amount: adjustment.amount, creditLimit: null, customerBlocked: false, force } },
      request,
    );
    return result.position;
  }
}
