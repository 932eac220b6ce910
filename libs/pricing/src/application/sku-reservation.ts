import { Command, conflict, Decider, DomainEvent } from '@salesline/shared-kernel';

/**
 * SKU uniqueness across products: one tiny stream per SKU (`product-sku-<sku>`) whose first event
 * names the product holding it. The first append expects no stream, so two products racing for
 * one SKU cannot both win; the holder asking again is a no-op, so retries of a registration work.
 */
export const skuReservationStream = (sku: string) => `product-sku-${sku}`;

export type SkuReserved = DomainEvent<'SkuReserved', { sku: string; productId: string }>;
export type ReserveSku = Command<'ReserveSku', { sku: string; productId: string }>;
export type SkuReservationState = { holder: string | null };

export const skuReservationDecider: Decider<SkuReservationState, ReserveSku, SkuReserved> = {
  decide: (command, state) => {
    const { sku, productId } = command.data;
    if (state.holder === productId) return [];
    if (state.holder !== null)
      throw conflict('SkuAlreadyRegistered', `SKU ${sku} belongs to another product`, { sku, productId: state.holder });
    return [{ type: 'SkuReserved', data: { sku, productId } }];
  },
  evolve: (state, event) => (state.holder === null ? { holder: event.data.productId } : state),
  initialState: () => ({ holder: null }),
};
