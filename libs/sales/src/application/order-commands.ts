import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RequestContext } from '@salesline/core';
import { CustomerFiles } from '@salesline/customers';
import { DeliverGoods, InvoiceOrder, orderDecider, ReceiveReturnedGoods } from '../domain';
import { BillOfLadingRegistry } from './bill-of-lading-registry';
import { OrderPlacementResult, PlaceOrderRequest } from './order-placement';
import { OrderCommandInput, OrderResult, Orders } from './orders';
import { SalesSettingsService } from './sales-settings';
import { commandContextOf } from '@salesline/core';

/** Place an order (credit check on the account, then OrderPlaced with its outcome). */
export class PlaceOrderCommand extends Command<OrderPlacementResult> {
  constructor(
    readonly request: PlaceOrderRequest,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/** What a caller says for each order command; the handler adds the facts (credit, settings, terms). */
export type OrderRequest =
  | Exclude<
      OrderCommandInput,
      { type: 'PlaceOrder' | 'DeliverGoods' | 'ApprovePriceOverride' | 'InvoiceOrder' | 'ReceiveReturnedGoods' | 'HoldOrderForCredit' }
    >
  | { type: 'ReceiveReturnedGoods'; data: Omit<ReceiveReturnedGoods['data'], 'credit'> }
  | { type: 'DeliverGoods'; data: Omit<DeliverGoods['data'], 'credit' | 'settings'> }
  | { type: 'ApprovePriceOverride'; data: { overrideId: string; reason: string; approvedOn?: string } }
  | { type: 'InvoiceOrder'; data: Omit<InvoiceOrder['data'], 'paymentTermsDays'> };

export class ExecuteOrderCommand extends Command<OrderResult> {
  constructor(
    readonly orderId: string,
    readonly command: OrderRequest,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand, OrderPlacementResult> {
  constructor(private readonly orders: Orders) {}
  execute({ request, ctx }: PlaceOrderCommand) {
    return this.orders.place(request, ctx);
  }
}

@CommandHandler(ExecuteOrderCommand)
export class ExecuteOrderHandler implements ICommandHandler<ExecuteOrderCommand, OrderResult> {
  constructor(
    private readonly orders: Orders,
    private readonly settings: SalesSettingsService,
    private readonly customers: CustomerFiles,
    private readonly billsOfLading: BillOfLadingRegistry,
  ) {}

  async execute({ orderId, command, ctx }: ExecuteOrderCommand): Promise<OrderResult> {
    return this.orders.execute(orderId, await this.withFacts(orderId, command, ctx), ctx);
  }

  private async withFacts(orderId: string, command: OrderRequest, ctx: RequestContext): Promise<OrderCommandInput> {
    switch (command.type) {
      case 'ApprovePriceOverride': {
        const { maxDiscountBpByRole } = await this.settings.current();
        return { type: 'ApprovePriceOverride', data: { ...command.data, settings: { maxDiscountBpByRole } } };
      }
      case 'ReceiveReturnedGoods': {
        // A replacement reopens quantity: the order checks credit with fresh facts (ADR 0111).
        const order = await this.orders.load(orderId);
        const { creditReleaseValidityDays } = await this.settings.current();
        const credit = await this.orders.creditFacts(order.customerId, orderId);
        return { type: 'ReceiveReturnedGoods', data: { ...command.data, credit, settings: { creditReleaseValidityDays } } };
      }
      case 'InvoiceOrder': {
        const order = await this.orders.load(orderId);
        const customer = await this.customers.load(order.customerId);
        return { type: 'InvoiceOrder', data: { ...command.data, paymentTermsDays: customer.paymentTermsDays } };
      }
      case 'DeliverGoods': {
        const order = await this.orders.load(orderId);
        const { overDeliveryToleranceBp, creditReleaseValidityDays } = await this.settings.current();
        const credit = await this.orders.creditFacts(order.customerId, orderId);
        const deliver: OrderCommandInput = {
          type: 'DeliverGoods',
          data: { ...command.data, credit, settings: { overDeliveryToleranceBp, creditReleaseValidityDays } },
        };
        // Refuse a bad delivery before its bill of lading number is taken.
        const alreadyRecorded = order.deliveries.some((d) => d.deliveryId === command.data.deliveryId);
        if (!alreadyRecorded) {
          orderDecider.decide({ ...deliver, context: commandContextOf(ctx) }, order);
          await this.billsOfLading.reserve(
            {
              billOfLading: command.data.billOfLading,
              orderId,
              deliveryId: command.data.deliveryId,
              reservedOn: command.data.deliveryDate,
            },
            order.deliveries.map((d) => d.deliveryId),
            ctx,
          );
        }
        return deliver;
      }
      default:
        return command;
    }
  }
}
