import { Inject, Injectable } from '@nestjs/common';
import {
  commandContextOf,
  EVENT_STORE,
  EventStore,
  executeCommand,
  ExecuteResult,
  loadState,
  READ_STORE,
  ReadStore,
  ReadYourWrites,
  RequestContext,
} from '@salesline/core';
import { CustomerFiles, organizationStanding } from '@salesline/customers';
import { AccountState, CustomerAccounts, CreditFacts, exposureExcludingOrder, LoadedAccount } from '@salesline/receivables';
import { PriceBook } from '@salesline/pricing';
import { CommandInput, notFound, ruleViolation } from '@salesline/shared-kernel';
import { OrderCommand, orderDecider, OrderState, orderStatus, orderStream, PlaceOrder, PlaceOrderLine } from '../domain';
import { KnownStreams, OrderAccountSync } from './order-account-sync';
import { OrderPlacementResult, PlaceOrderRequest } from './order-placement';
import { SalesSettingsService } from './sales-settings';

/** An order command as a caller states it: the decider's data without the context. */
export type OrderCommandInput = CommandInput<OrderCommand>;

export type OrderResult = {
  id: string;
  position: number;
  status: string;
  replayed: boolean;
  events: ExecuteResult<OrderState>['events'];
  state: OrderState;
};

type Placed = Extract<OrderState, { status: 'placed' }>;

/**
 * The order application service: gathers the facts a command needs (customer terms, prices,
 * the account's credit position, settings), runs the pure order decider on `order-<id>`, then
 * lets the order-to-account process manager carry the money effects across, inline, so the
 * answer's position covers them too.
 */
@Injectable()
export class Orders {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly customers: CustomerFiles,
    private readonly accounts: CustomerAccounts,
    private readonly priceBook: PriceBook,
    private readonly settings: SalesSettingsService,
    private readonly sync: OrderAccountSync,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async load(orderId: string): Promise<Placed> {
    const { state } = await loadState(this.events, orderStream(orderId), orderDecider);
    if (state.status !== 'placed') throw notFound('OrderNotFound', `Order ${orderId} does not exist`);
    return state;
  }

  /** Runs one command on an existing order (404 OrderNotFound when there is none). */
  async execute(orderId: string, command: OrderCommandInput, request: RequestContext): Promise<OrderResult> {
    const result = await executeCommand(this.events, {
      streamName: orderStream(orderId),
      decider: orderDecider,
      command: { ...command, context: commandContextOf(request) } as OrderCommand,
      request,
      notFoundCode: 'OrderNotFound',
    });
    return this.afterwards(orderId, result, request);
  }

  /** The credit facts of an order's customer, with the order's own reservation left out. */
  async creditFacts(customerId: string, orderId: string): Promise<CreditFacts> {
    const customer = await this.customers.load(customerId);
    return this.accounts.creditFacts(customerId, orderId, { creditLimit: customer.creditLimit, blocked: customer.status === 'blocked' });
  }

  /**
   * Places an order. The credit decision is taken on the customer's account first — one append
   * on one stream, so two orders racing for the same credit are serialised — and the order then
   * records the same decision from the same facts (ADR 0104).
   */
  async place(request: PlaceOrderRequest, ctx: RequestContext): Promise<OrderPlacementResult> {
    const stream = orderStream(request.orderId);
    // Each stream is read once: the order (empty for a new order), the customer, the account.
    const existing = await loadState(this.events, stream, orderDecider);
    const account = await this.accounts.load(request.customerId);
    const command = await this.placeOrderCommand(request, ctx, account.state);
    if (existing.revision < 0) {
      // Dry run of the pure decider: refuses a bad order before anything is written, and gives the amount to check.
      const decided = orderDecider.decide(command, orderDecider.initialState());
      const check = decided.find((e) => e.type === 'OrderConfirmed' || e.type === 'OrderPutOnCreditHold');
      const checkedAmount = (check?.data as { checkedAmount: number }).checkedAmount;
      const credit = command.data.credit;
      const reserved = await this.accounts.execute(
        request.customerId,
        {
          type: 'ReserveCredit',
          data: {
            orderId: request.orderId,
            amount: checkedAmount,
            creditLimit: credit.creditLimit,
            customerBlocked: credit.customerBlocked,
            decidedOn: command.data.orderDate,
          },
        },
        ctx,
        undefined,
        account,
      );
      const facts: CreditFacts = { ...credit, exposureBeforeOrder: exposureExcludingOrder(reserved.state, request.orderId) };
      const placed = await executeCommand(this.events, {
        streamName: stream,
        decider: orderDecider,
        command: { ...command, data: { ...command.data, credit: facts } },
        request: ctx,
        loaded: existing,
      });
      const result = await this.afterwards(
        request.orderId,
        placed,
        ctx,
        { state: reserved.state, revision: reserved.revision, position: reserved.position },
        // The customer was read once for this command: its limit and block go along, not read again.
        { creditLimit: credit.creditLimit, blocked: credit.customerBlocked },
      );
      return { ...result, position: Math.max(result.position, reserved.position) };
    }
    // A retry (same Idempotency-Key: the first answer) or a second placement (409 OrderAlreadyPlaced).
    const placed = await executeCommand(this.events, {
      streamName: stream,
      decider: orderDecider,
      command,
      request: ctx,
      loaded: existing,
    });
    return this.afterwards(request.orderId, placed, ctx);
  }

  private async placeOrderCommand(request: PlaceOrderRequest, ctx: RequestContext, account: AccountState): Promise<PlaceOrder> {
    const customer = await this.customers.load(request.customerId);
    const settings = await this.settings.current();
    const priced = await this.priceBook.prices(
      request.lines.map((line) => ({
        customerId: request.customerId,
        customerGroup: customer.customerGroup,
        productId: line.productId,
        quantity: line.quantity,
        date: request.orderDate,
      })),
    );
    const lines: PlaceOrderLine[] = request.lines.map((line, i) => {
      const { product, resolved } = priced[i];
      if (product.discontinued)
        throw ruleViolation('ProductDiscontinued', `Product ${product.productId} is discontinued`, { lineId: line.lineId });
      return {
        lineId: line.lineId,
        productId: line.productId,
        quantity: line.quantity,
        unitPrice: line.unitPrice ?? resolved.unitPrice,
        listPrice: product.listPrice,
        resolvedUnitPrice: resolved.unitPrice,
        priceSource: resolved.source,
        unitCost: product.standardCost,
        overrideReason: line.overrideReason ?? null,
        freeOfCharge: line.freeOfCharge ?? null,
        resolvedBelowCostApprovedAtCost: resolved.belowCostApprovedAtCost ?? null,
        preApproved: line.preApproved ?? null,
      };
    });
    const credit = await this.accounts.creditFacts(
      request.customerId,
      request.orderId,
      { creditLimit: customer.creditLimit, blocked: customer.status === 'blocked' },
      account,
    );
    const salesCreditStanding = await this.salesCreditStanding(
      request.salesCredit.map((c) => c.salespersonId),
      request.orderDate,
    );
    return {
      type: 'PlaceOrder',
      data: {
        orderId: request.orderId,
        customerId: request.customerId,
        orderDate: request.orderDate,
        quoteId: request.quoteId,
        salesCredit: request.salesCredit,
        lines,
        credit,
        ...(salesCreditStanding ? { salesCreditStanding } : {}),
        settings: { maxDiscountBpByRole: settings.maxDiscountBpByRole },
      },
      context: commandContextOf(ctx),
    };
  }

  /** Each credited salesperson's standing in the organization on the order date; null when no organization is kept. */
  private async salesCreditStanding(salespeople: readonly string[], orderDate: string) {
    const standing = await organizationStanding(this.readStore, this.readYourWrites, salespeople, orderDate);
    if (!standing) return null;
    // sales credit goes only to people employed on the day of the sale (ADR 0211)
    return Object.fromEntries(Object.entries(standing).map(([id, s]) => [id, s === 'not_yet_employed' ? 'not_employed' : s])) as Record<
      string,
      'employed' | 'not_employed' | 'unknown'
    >;
  }

  /** Carries the command's money effects to the account; `account`: the account as this command left it, when it did. */
  private async afterwards(
    orderId: string,
    result: ExecuteResult<OrderState>,
    request: RequestContext,
    account?: LoadedAccount,
    customer?: KnownStreams['customer'],
  ): Promise<OrderResult> {
    let position = result.position;
    if (!result.replayed) {
      const firstRevision = result.revision - result.events.length + 1;
      const known: KnownStreams = { order: result.state, account, customer };
      for (const [i, event] of result.events.entries()) {
        const reported = await this.sync.reactAndReport(
          {
            type: event.type,
            data: event.data,
            streamName: result.streamName,
            revision: firstRevision + i,
            metadata: { correlationId: request.correlationId },
          },
          known,
        );
        position = Math.max(position, reported);
      }
    } else if (result.state.status === 'placed') {
      // A retried request (same Idempotency-Key) appends nothing; its answer still covers the account
      // effects the first one carried, which came after the order's events (read-your-writes).
      position = Math.max(position, (await this.accounts.load(result.state.customerId)).position);
    }
    const status = result.state.status === 'placed' ? orderStatus(result.state) : 'none';
    return { id: orderId, position, status, replayed: result.replayed, events: result.events, state: result.state };
  }
}
