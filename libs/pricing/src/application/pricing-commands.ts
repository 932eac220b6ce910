import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { commandContextOf, decideThenReserve, defineAggregate, EVENT_STORE, EventStore, loadState } from '@salesline/core';
import { RequestContext, route, RouteTarget, RoutedCommand, RoutedCommandHandler } from '@salesline/core';
import { CommandInput } from '@salesline/shared-kernel';
import { PriceListCommand, priceListDecider, priceListStream } from '../domain/price-list';
import { ProductCommand, productDecider, ProductState, productStream, RegisterProduct } from '../domain/product';
import { skuReservationDecider, skuReservationStream } from './sku-reservation';
import { PRICE_LIST_SCHEMA_VERSION } from './pricing-upcasters';

export const PRODUCT = defineAggregate({
  streamName: productStream,
  decider: productDecider,
  notFound: { code: 'ProductNotFound', unless: ['RegisterProduct'] },
});
export const PRICE_LIST = defineAggregate({
  streamName: priceListStream,
  decider: priceListDecider,
  notFound: { code: 'PriceListNotFound', unless: ['CreatePriceList'] },
  schemaVersion: PRICE_LIST_SCHEMA_VERSION,
});
/** SKU uniqueness across products: one tiny stream per SKU (see sku-reservation.ts), claimed by a registration. */
export const SKU_RESERVATION = defineAggregate({ streamName: skuReservationStream, decider: skuReservationDecider });
const skuRoute = route(SKU_RESERVATION);

/** The pricing route table: a registration claims its SKU first; a price list's items read each product's standard cost. */
export const pricingRoutes = (events: EventStore) => ({
  product: route(PRODUCT, async (command: CommandInput<ProductCommand>, state, { id, request }) => {
    if (command.type === 'RegisterProduct') await reserveSku(events, id, command, state, request);
    return command;
  }),
  priceList: route(PRICE_LIST, (command: CommandInput<PriceListCommand>) => withCosts(events, command)),
});
export type PricingRoutes = ReturnType<typeof pricingRoutes>;
export type PricingTarget = RouteTarget<PricingRoutes>;

/** One message on the CommandBus for every pricing command (products and price lists). */
export class ExecutePricingCommand extends RoutedCommand<PricingRoutes> {}

@CommandHandler(ExecutePricingCommand)
export class PricingCommandHandler extends RoutedCommandHandler<PricingRoutes> {
  constructor(@Inject(EVENT_STORE) events: EventStore) {
    super(events, pricingRoutes(events));
  }
}

/** A price list's items are checked against each product's standard cost, read fresh from its stream (ADR 0112). */
const withCosts = async (events: EventStore, command: CommandInput<PriceListCommand>): Promise<CommandInput<PriceListCommand>> => {
  if (command.type !== 'CreatePriceList' && command.type !== 'ChangePriceListItems') return command;
  const standardCosts: Record<string, number> = {};
  for (const item of Array.isArray(command.data.items) ? command.data.items : []) {
    const { state } = await loadState(events, productStream(item.productId), productDecider);
    if (state.status !== 'unregistered') standardCosts[item.productId] = state.standardCost;
  }
  return { ...command, data: { ...command.data, standardCosts } } as CommandInput<PriceListCommand>;
};

/**
 * Claims the SKU before the product stream is written (reserve-then-record). Skipped once the product
 * exists, so a retry (or a reused Idempotency-Key with another body) is answered by the product stream
 * itself and never claims a second SKU. The registration is decided dry first: a refused one must not
 * leave its SKU taken.
 */
const reserveSku = async (
  events: EventStore,
  productId: string,
  command: CommandInput<RegisterProduct>,
  state: ProductState,
  request: RequestContext,
): Promise<void> => {
  if (state.status !== 'unregistered') return;
  await decideThenReserve(productDecider, { ...command, context: commandContextOf(request) }, state, () =>
    // Without the Idempotency-Key: the SKU stream is shared by every product, and the key is only
    // unique per user; the decider's "same holder → no-op" makes the retry safe instead.
    skuRoute.run(
      events,
      command.data.sku,
      { type: 'ReserveSku', data: { sku: command.data.sku, productId, reservedOn: command.data.registeredOn ?? request.today } },
      { ...request, idempotencyKey: undefined, requestHash: undefined },
    ),
  );
};
