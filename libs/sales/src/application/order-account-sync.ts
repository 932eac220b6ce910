import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandResult, EVENT_STORE, EventStore, loadState, ReportingProcessManager } from '@salesline/core';
import { ProcessManagerRegistry, RecordedEvent, RequestContext, systemRequest } from '@salesline/core';
import { CustomerFiles } from '@salesline/customers';
import { AccountEvent, CustomerAccounts, ExecuteAccountCommand, LoadedAccount } from '@salesline/receivables';
import { orderDecider, OrderEvent, OrderState } from '../domain';
import { DomainError } from '@salesline/shared-kernel';
import { holdAfterRefusal, nextAccountCommand, ORDER_EVENTS_FOR_ACCOUNT } from '../domain/order-account-process';
import { ExecuteOrderCommand } from './order-commands';

type CausingEvent = Pick<RecordedEvent, 'type' | 'data' | 'streamName' | 'revision'> & { metadata: { correlationId: string } };

/** The customer's limit and block, as the account's growth checks need them. */
export type CustomerCredit = Readonly<{ creditLimit: number | null; blocked: boolean }>;

/**
 * The order after the causing event, and the customer's account and credit terms when already read: a
 * command that has them (a placement read both for its credit check) does not read them again.
 */
export type KnownStreams = { order: OrderState; account?: LoadedAccount; customer?: CustomerCredit };

/** How many carried reactions are remembered for the subscription to skip (when it runs in another process, none are looked up). */
export const CARRIED_MEMORY = 10_000;

/**
 * Carries an order's money effects to the customer's account (`account-<customerId>`):
 * invoices and credit notes become receivables, and the credit reserved for the order follows
 * `creditReservationTarget` (ADR 0110, 0111). The rules are the pure `nextAccountCommand` and
 * `holdAfterRefusal`; every reaction first looks at the account, so running it twice changes nothing.
 * It runs inline after every order command (`carry`) and again from its subscription.
 */
@Injectable()
export class OrderAccountSync extends ReportingProcessManager<number> {
  readonly name = 'order-account-sync';
  readonly handles = ORDER_EVENTS_FOR_ACCOUNT;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly commandBus: CommandBus,
    private readonly accounts: CustomerAccounts,
    private readonly customers: CustomerFiles,
    registry: ProcessManagerRegistry,
  ) {
    super(registry);
  }

  /**
   * Order events whose reactions this process has already carried inline (`stream@revision`): the
   * subscription skips them instead of reading the order, the customer and the account again to find
   * nothing to do. Only a completed carry is remembered, so after a crash or a failed carry the
   * subscription still does the work; the memory is bounded (oldest forgotten first).
   */
  private readonly carried = new Set<string>();

  override async react(event: RecordedEvent): Promise<void> {
    if (this.carried.delete(`${event.streamName}@${event.revision}`)) return;
    await this.reactAndReport(event);
  }

  /**
   * Inline, after an order command: reacts to each event it appended and returns the position of the
   * last event written. A retried request (same Idempotency-Key) appends nothing; its answer still
   * covers the account effects the first one carried, which came after the order's events.
   */
  async carry(result: CommandResult<OrderState>, request: RequestContext, read?: Omit<KnownStreams, 'order'>): Promise<number> {
    if (result.replayed) return result.state.status === 'placed' ? (await this.accounts.load(result.state.customerId)).position : 0;
    let position = 0;
    const firstRevision = result.revision - result.events.length + 1;
    const known: KnownStreams = { ...read, order: result.state };
    for (const [i, event] of result.events.entries()) {
      const metadata = { correlationId: request.correlationId };
      const streamName = result.streamName;
      const revision = firstRevision + i;
      const reported = await this.reactAndReport({ type: event.type, data: event.data, streamName, revision, metadata }, known);
      position = Math.max(position, reported);
      if (this.handles.includes(event.type as OrderEvent['type'])) this.remember(`${streamName}@${revision}`);
    }
    return position;
  }

  private remember(key: string): void {
    this.carried.add(key);
    if (this.carried.size > CARRIED_MEMORY) this.carried.delete(this.carried.values().next().value!);
  }

  /**
   * The customer's limit and block, for growth the account checks. An order of a customer with no
   * file (events imported without one) is not checked: it can only have been placed with a check.
   */
  private async creditFactsOf(customerId: string): Promise<CustomerCredit> {
    try {
      const customer = await this.customers.load(customerId);
      return { creditLimit: customer.creditLimit, blocked: customer.status === 'blocked' };
    } catch (err) {
      if (err instanceof DomainError && err.code === 'CustomerNotFound') return { creditLimit: null, blocked: false };
      throw err;
    }
  }

  /** Reacts and returns the global position of the last event written (0 when none). */
  async reactAndReport(event: CausingEvent, known?: KnownStreams): Promise<number> {
    if (!this.handles.includes(event.type as OrderEvent['type'])) return 0;
    const stream = event.streamName;
    const order = known?.order ?? (await loadState(this.events, stream, orderDecider)).state;
    if (order.status !== 'placed') return 0;
    const request = systemRequest({ correlationId: event.metadata.correlationId, causationId: `${stream}@${event.revision}` });
    const facts = known?.customer ?? (await this.creditFactsOf(order.customerId));
    if (known) known.customer = facts;
    const orderEvent = { type: event.type, data: event.data } as OrderEvent;
    let position = 0;
    let loaded = known?.account ?? (await this.accounts.load(order.customerId));
    if (known) known.account = loaded;
    // At most: post, then reserve; each step re-reads nothing but its own answer.
    for (let step = 0; step < 4; step++) {
      const command = nextAccountCommand(orderEvent, order, loaded.state, facts);
      if (!command) break;
      const result = await this.commandBus.execute(
        new ExecuteAccountCommand({ kind: 'account', id: order.customerId, command }, request, { loaded }),
      );
      position = Math.max(position, result.position);
      loaded = { state: result.state, revision: result.revision, position: result.position };
      if (known) known.account = loaded;
      const hold = holdAfterRefusal(result.events as AccountEvent[]);
      if (hold) {
        // The hold goes through the order's own route, which carries its effects to the account in turn.
        const held = await this.commandBus.execute(
          new ExecuteOrderCommand({ kind: 'order', id: order.orderId, command: { type: 'HoldOrderForCredit', data: hold } }, request),
        );
        position = Math.max(position, held.position);
        if (known) known.order = held.state;
        break;
      }
    }
    return position;
  }
}
