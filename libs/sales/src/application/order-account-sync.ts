import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EVENT_STORE, EventStore, loadState, ProcessManager, ProcessManagerRegistry, RecordedEvent } from '@salesline/core';
import { AccountCommandInput, CustomerAccounts, LoadedAccount, reservationOf } from '@salesline/receivables';
import { CreditNoteIssued, InvoiceIssued, orderDecider, OrderEvent, OrderState, orderStream } from '../domain';
import { reservationAdjustment } from '../domain/order-state';
import { systemRequest } from './system-actor';

type CausingEvent = Pick<RecordedEvent, 'type' | 'data' | 'streamName' | 'revision'> & { metadata: { correlationId: string } };

/** The order after the causing event, and the customer's account when already read. */
export type KnownStreams = { order: OrderState; account?: LoadedAccount };

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

  /**
   * Reacts and returns the global position of the last account event written (0 when none).
   * `known` carries the order and the account as the caller last read or wrote them, so a
   * command that has them already does not read either stream again; it is updated as the
   * reaction writes to the account (a stale account only costs a re-read on append).
   */
  async reactAndReport(event: CausingEvent, known?: KnownStreams): Promise<number> {
    if (!this.handles.includes(event.type as OrderEvent['type'])) return 0;
    const order = known?.order ?? (await loadState(this.events, event.streamName, orderDecider)).state;
    if (order.status !== 'placed') return 0;
    const request = systemRequest({ correlationId: event.metadata.correlationId, causationId: `${event.streamName}@${event.revision}` });
    const streams: KnownStreams = known ?? { order };
    const account = async () => (streams.account ??= await this.accounts.load(order.customerId));
    const execute = async (command: AccountCommandInput) => {
      const result = await this.accounts.execute(order.customerId, command, request, undefined, await account());
      streams.account = { state: result.state, revision: result.revision, position: result.position };
      return result.position;
    };
    let position = 0;
    if (event.type === 'InvoiceIssued') {
      const d = (event as unknown as InvoiceIssued).data;
      if (!(await account()).state.invoices[d.invoiceId]) {
        position = await execute({ type: 'PostInvoice', data: { invoiceId: d.invoiceId, orderId: d.orderId, amount: d.amount, invoiceDate: d.invoiceDate, dueDate: d.dueDate } });
      }
    }
    if (event.type === 'CreditNoteIssued') {
      const d = (event as unknown as CreditNoteIssued).data;
      const posted = Object.values((await account()).state.invoices).some((i) => i.creditNoteIds.includes(d.creditNoteId));
      if (!posted) {
        position = await execute({
          type: 'PostCreditNote',
          data: { creditNoteId: d.creditNoteId, invoiceId: d.invoiceId, orderId: d.orderId, amount: d.amount, issuedOn: d.issuedOn },
        });
      }
    }
    const adjustment = reservationAdjustment(order, reservationOf((await account()).state, order.orderId));
    if (!adjustment) return position;
    const force = adjustment.forcedBy ? { releasedBy: adjustment.forcedBy } : null;
    const reserved = await execute({ type: 'ReserveCredit', data: { orderId: order.orderId, amount: adjustment.amount, creditLimit: null, customerBlocked: false, force } });
    return Math.max(position, reserved);
  }
}
