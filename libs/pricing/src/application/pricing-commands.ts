import { Inject } from '@nestjs/common';
import { Command as BusMessage, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { commandContextOf, EVENT_STORE, EventStore, executeCommand, loadState, RequestContext } from '@salesline/core';
import { Command, CommandInput as InputOf, Decider, DomainEvent } from '@salesline/shared-kernel';
import { PriceListCommand, priceListDecider, PriceListEvent, PriceListState, priceListStream } from '../domain/price-list';
import { ProductCommand, productDecider, ProductEvent, ProductState, productStream, RegisterProduct } from '../domain/product';
import { ReserveSku, skuReservationDecider, skuReservationStream } from './sku-reservation';

export type PricingCommandResult = { id: string; position: number; replayed: boolean };

export type ProductCommandInput = InputOf<ProductCommand>;
export type PriceListCommandInput = InputOf<PriceListCommand>;

export type PricingTarget =
  | Readonly<{ aggregate: 'product'; id: string; command: ProductCommandInput }>
  | Readonly<{ aggregate: 'priceList'; id: string; command: PriceListCommandInput }>;

/** A pricing aggregate: its stream, decider, creating command, and the 404 for commands on one that does not exist. */
type Aggregate<S, C extends { type: string }, E extends DomainEvent> = Readonly<{
  stream: (id: string) => string;
  decider: Decider<S, C & Command, E>;
  creation: C['type'];
  notFoundCode: string;
}>;
const PRODUCT: Aggregate<ProductState, ProductCommand, ProductEvent> = {
  stream: productStream,
  decider: productDecider,
  creation: 'RegisterProduct',
  notFoundCode: 'ProductNotFound',
};
const PRICE_LIST: Aggregate<PriceListState, PriceListCommand, PriceListEvent> = {
  stream: priceListStream,
  decider: priceListDecider,
  creation: 'CreatePriceList',
  notFoundCode: 'PriceListNotFound',
};

/** One message on the CommandBus for every pricing command (products and price lists). */
export class ExecutePricingCommand extends BusMessage<PricingCommandResult> {
  constructor(
    readonly target: PricingTarget,
    readonly request: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(ExecutePricingCommand)
export class PricingCommandHandler implements ICommandHandler<ExecutePricingCommand, PricingCommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async execute({ target, request }: ExecutePricingCommand): Promise<PricingCommandResult> {
    const context = commandContextOf(request);
    if (target.aggregate === 'priceList')
      return this.run(PRICE_LIST, target.id, { ...(await this.withCosts(target.command)), context }, request);
    const command = { ...target.command, context };
    if (command.type === 'RegisterProduct') await this.reserveSku(target.id, command, request);
    return this.run(PRODUCT, target.id, command, request);
  }

  private async run<S, C extends Command, E extends DomainEvent>(
    aggregate: Aggregate<S, C, E>,
    id: string,
    command: C,
    request: RequestContext,
  ): Promise<PricingCommandResult> {
    const result = await executeCommand(this.events, {
      streamName: aggregate.stream(id),
      decider: aggregate.decider,
      command,
      request,
      notFoundCode: command.type === aggregate.creation ? undefined : aggregate.notFoundCode,
    });
    return { id, position: result.position, replayed: result.replayed };
  }

  /** A price list's items are checked against each product's standard cost, read fresh from its stream (ADR 0112). */
  private async withCosts(command: PriceListCommandInput): Promise<PriceListCommandInput> {
    if (command.type !== 'CreatePriceList' && command.type !== 'ChangePriceListItems') return command;
    const standardCosts: Record<string, number> = {};
    for (const item of Array.isArray(command.data.items) ? command.data.items : []) {
      const { state } = await loadState(this.events, productStream(item.productId), productDecider);
      if (state.status !== 'unregistered') standardCosts[item.productId] = state.standardCost;
    }
    return { ...command, data: { ...command.data, standardCosts } } as PriceListCommandInput;
  }

  /**
   * Claims the SKU before the product stream is written. Skipped once the product exists, so a
   * retry (or a reused Idempotency-Key with another body) is answered by the product stream itself
   * and never claims a second SKU. The registration is decided dry first: a refused one must not
   * leave its SKU taken.
   */
  private async reserveSku(productId: string, command: RegisterProduct, request: RequestContext): Promise<void> {
    const existing = await this.events.readStream(productStream(productId), { maxCount: 1 });
    if (existing.length > 0) return;
    productDecider.decide(command, productDecider.initialState());
    const reserve: ReserveSku = { type: 'ReserveSku', data: { sku: command.data.sku, productId }, context: command.context };
    // Without the Idempotency-Key: the SKU stream is shared by every product, and the key is only
    // unique per user; the decider's "same holder → no-op" makes the retry safe instead.
    await executeCommand(this.events, {
      streamName: skuReservationStream(command.data.sku),
      decider: skuReservationDecider,
      command: reserve,
      request: { ...request, idempotencyKey: undefined, requestHash: undefined },
    });
  }
}
