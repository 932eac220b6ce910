import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler } from '@nestjs/cqrs';
import { commandContextOf, decideThenReserve, EVENT_STORE, EventStore, READ_STORE, ReadStore } from '@salesline/core';
import { ReadYourWrites, RequestContext, route, RoutedCommandHandler, withReactions } from '@salesline/core';
import { CustomerFiles, organizationStanding } from '@salesline/customers';
import { PriceBook } from '@salesline/pricing';
import { AccountState, CreditFacts, CustomerAccounts, ExecuteAccountCommand, exposureExcludingOrder } from '@salesline/receivables';
import { CommandInput, notFound, ruleViolation } from '@salesline/shared-kernel';
import { OrderCommand, orderDecider, OrderEvent, OrderState, PlaceOrder, PlaceOrderLine } from '../domain';
import { BILL_OF_LADING } from './bill-of-lading-registry';
import { ExecuteOrderCommand, ORDER, OrderRequest, PlaceOrderRequest } from './order-commands';
import { KnownStreams, OrderAccountSync } from './order-account-sync';
import { SalesSettingsService } from './sales-settings';

/**
 * The orders' route table: the facts each command needs are read just before deciding (ADR 0100), and
 * the order-to-account process runs inline afterwards, so the answer's position covers the money
 * effects on the account too (read-your-writes).
 */
export const orderRoutes = (facts: OrderFacts, sync: OrderAccountSync) => ({
  order: withReactions(
    route(ORDER, (input: OrderRequest, state, { id, request }) => facts.of(input, state, id, request)),
    // A placement has just read the customer and written the account: the process goes on from those reads.
    (result, request) => sync.carry(result, request, facts.takeReads(request, result.state)),
  ),
});
export type OrderRoutes = ReturnType<typeof orderRoutes>;

@CommandHandler(ExecuteOrderCommand)
export class OrderCommandHandler extends RoutedCommandHandler<OrderRoutes> {
  constructor(
    @Inject(EVENT_STORE) events: EventStore,
    commandBus: CommandBus,
    customers: CustomerFiles,
    accounts: CustomerAccounts,
    priceBook: PriceBook,
    settings: SalesSettingsService,
    sync: OrderAccountSync,
    @Inject(READ_STORE) readStore: ReadStore,
    readYourWrites: ReadYourWrites,
  ) {
    super(
      events,
      orderRoutes(new OrderFacts(events, commandBus, customers, accounts, priceBook, settings, readStore, readYourWrites), sync),
    );
  }
}

const billOfLadingRoute = route(BILL_OF_LADING);

type Placed = Extract<OrderState, { status: 'placed' }>;

/** A command other than PlaceOrder runs on an order that exists (the route answered 404 OrderNotFound otherwise). */
const placed = (state: OrderState, orderId: string): Placed => {
  if (state.status !== 'placed') throw notFound('OrderNotFound', `Order ${orderId} does not exist`);
  return state;
};

/** The amount a placement's credit check covered: every placement decides its credit (OrderConfirmed or OrderPutOnCreditHold). */
const checkedAmountOf = (decided: readonly OrderEvent[]): number => {
  for (const event of decided)
    if (event.type === 'OrderConfirmed' || event.type === 'OrderPutOnCreditHold') return event.data.checkedAmount;
  throw new Error('a placement decided without a credit check');
};

/** What a placement read and wrote of its customer's streams, for the order-to-account process that follows it. */
type PlacementReads = Readonly<{ customerId: string; reads: Omit<KnownStreams, 'order'> }>;

/** What an order command reads from other streams: customer terms, prices, the account's credit position, settings. */
class OrderFacts {
  /** Per request, what its placement read (one read of each stream per command); taken by the reaction that follows. */
  private readonly reads = new WeakMap<RequestContext, PlacementReads>();

  constructor(
    private readonly events: EventStore,
    private readonly commandBus: CommandBus,
    private readonly customers: CustomerFiles,
    private readonly accounts: CustomerAccounts,
    private readonly priceBook: PriceBook,
    private readonly settings: SalesSettingsService,
    private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  /** The customer's account and credit terms as this request's placement left them, when the order is that customer's. */
  takeReads(request: RequestContext, order: OrderState): Omit<KnownStreams, 'order'> | undefined {
    const placed = this.reads.get(request);
    this.reads.delete(request);
    return placed && order.status === 'placed' && order.customerId === placed.customerId ? placed.reads : undefined;
  }

  async of(input: OrderRequest, state: OrderState, orderId: string, request: RequestContext): Promise<CommandInput<OrderCommand>> {
    this.reads.delete(request);
    switch (input.type) {
      case 'PlaceOrder':
        return this.placement(input.data, state, request);
      case 'ApprovePriceOverride': {
        const { maxDiscountBpByRole } = await this.settings.current();
        return { type: 'ApprovePriceOverride', data: { ...input.data, settings: { maxDiscountBpByRole } } };
      }
      case 'ReceiveReturnedGoods': {
        // A replacement reopens quantity: the order checks credit with fresh facts (ADR 0111).
        const order = placed(state, orderId);
        const { creditReleaseValidityDays } = await this.settings.current();
        const credit = await this.creditFacts(order.customerId, orderId, request);
        return { type: 'ReceiveReturnedGoods', data: { ...input.data, credit, settings: { creditReleaseValidityDays } } };
      }
      case 'InvoiceOrder': {
        const customer = await this.customers.load(placed(state, orderId).customerId);
        return { type: 'InvoiceOrder', data: { ...input.data, paymentTermsDays: customer.paymentTermsDays } };
      }
      case 'DeliverGoods': {
        const order = placed(state, orderId);
        const { overDeliveryToleranceBp, creditReleaseValidityDays } = await this.settings.current();
        const credit = await this.creditFacts(order.customerId, orderId, request);
        const deliver = {
          type: 'DeliverGoods' as const,
          data: { ...input.data, credit, settings: { overDeliveryToleranceBp, creditReleaseValidityDays } },
        };
        const { deliveryId, billOfLading, deliveryDate } = input.data;
        if (order.deliveries.some((d) => d.deliveryId === deliveryId)) return deliver;
        // Refuse a bad delivery before its bill of lading number is taken.
        return decideThenReserve(orderDecider, { ...deliver, context: commandContextOf(request) }, order, async () => {
          await billOfLadingRoute.run(
            this.events,
            billOfLading,
            {
              type: 'ReserveBillOfLading',
              data: {
                billOfLading,
                orderId,
                deliveryId,
                reservedOn: deliveryDate,
                recordedDeliveryIds: order.deliveries.map((d) => d.deliveryId),
              },
            },
            // Retries of the delivery request must not replay the reservation as if it were the delivery.
            { ...request, idempotencyKey: undefined, requestHash: undefined },
          );
          return deliver;
        });
      }
      default:
        return input;
    }
  }

  /**
   * A placement: the credit decision is taken on the customer's account first (one append on one
   * stream, so two orders racing for the same credit are serialised), and the order then records the
   * same decision from the same facts (ADR 0104). A second placement of the order reserves nothing
   * and is refused by the decider (409 OrderAlreadyPlaced).
   */
  private async placement(order: PlaceOrderRequest, state: OrderState, request: RequestContext): Promise<CommandInput<PlaceOrder>> {
    const account = await this.accounts.load(order.customerId);
    const command = await this.placeOrderCommand(order, account.state);
    if (state.status !== 'none') return command;
    return decideThenReserve(orderDecider, { ...command, context: commandContextOf(request) }, state, async (decided) => {
      const { credit, orderDate } = command.data;
      const reserved = await this.commandBus.execute(
        new ExecuteAccountCommand(
          {
            kind: 'account',
            id: order.customerId,
            command: {
              type: 'ReserveCredit',
              data: {
                orderId: order.orderId,
                amount: checkedAmountOf(decided),
                creditLimit: credit.creditLimit,
                customerBlocked: credit.customerBlocked,
                decidedOn: orderDate,
              },
            },
          },
          request,
          { loaded: account },
        ),
      );
      const facts: CreditFacts = { ...credit, exposureBeforeOrder: exposureExcludingOrder(reserved.state, order.orderId) };
      this.reads.set(request, {
        customerId: order.customerId,
        reads: {
          account: { state: reserved.state, revision: reserved.revision, position: reserved.position },
          customer: { creditLimit: credit.creditLimit, blocked: credit.customerBlocked },
        },
      });
      return { ...command, data: { ...command.data, credit: facts } };
    });
  }

  private async placeOrderCommand(order: PlaceOrderRequest, account: AccountState): Promise<CommandInput<PlaceOrder>> {
    const customer = await this.customers.load(order.customerId);
    const settings = await this.settings.current();
    const priced = await this.priceBook.prices(
      order.lines.map((line) => ({
        customerId: order.customerId,
        customerGroup: customer.customerGroup,
        productId: line.productId,
        quantity: line.quantity,
        date: order.orderDate,
      })),
    );
    const lines: PlaceOrderLine[] = order.lines.map((line, i) => {
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
      order.customerId,
      order.orderId,
      { creditLimit: customer.creditLimit, blocked: customer.status === 'blocked' },
      account,
    );
    const salesCredit = order.salesCredit ?? [{ salespersonId: customer.ownerId, shareBp: 10_000 }];
    const salesCreditStanding = await this.salesCreditStanding(
      salesCredit.map((c) => c.salespersonId),
      order.orderDate,
    );
    return {
      type: 'PlaceOrder',
      data: {
        orderId: order.orderId,
        customerId: order.customerId,
        orderDate: order.orderDate,
        quoteId: order.quoteId,
        salesCredit,
        lines,
        credit,
        ...(salesCreditStanding ? { salesCreditStanding } : {}),
        settings: { maxDiscountBpByRole: settings.maxDiscountBpByRole },
      },
    };
  }

  /** The credit facts of an order's customer, with the order's own reservation left out. */
  private async creditFacts(customerId: string, orderId: string, request: RequestContext): Promise<CreditFacts> {
    const customer = await this.customers.load(customerId);
    const account = await this.accounts.load(customerId);
    const terms = { creditLimit: customer.creditLimit, blocked: customer.status === 'blocked' };
    this.reads.set(request, { customerId, reads: { account, customer: terms } });
    return this.accounts.creditFacts(customerId, orderId, terms, account.state);
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
}
