import { BusinessDate, Command, conflict, Decider, DomainEvent } from '@salesline/shared-kernel';

/**
 * SKU uniqueness across products: one tiny stream per SKU (`product-sku-<sku>`) whose first event
 * names the product holding it. The first append expects no stream, so two products racing for
 * one SKU cannot both win; the holder asking again is a no-op, so retries of a registration work.
 */
export const skuReservationStream = (sku: string) => `product-sku-${sku}`;

/** `reservedOn`: the registration's business date (reservations written before issue 8 §3 lack it). */
export type SkuReserved = DomainEvent<'SkuReserved', { sku: string; productId: string; reservedOn: BusinessDate }>;
export type ReserveSku = Command<'ReserveSku', { sku: string; productId: string; reservedOn: BusinessDate }>;
export type SkuReservationState = { holder: string | null };

export const skuReservationDecider: Decider<SkuReservationState, ReserveSku, SkuReserved> = {
  decide: (command, state) => {
    const { sku, productId, reservedOn } = command.data;
    if (state.holder === productId) return [];
    if (state.holder !== null)
      throw conflict('SkuAlreadyRegistered', `SKU ${sku} belongs to another product`, { sku, productId: state.holder });
    return [{ type: 'SkuReserved', data: { sku, productId, reservedOn } }];
  },
  evolve: (state, event) => (state.holder === null ? { holder: event.data.productId } : state),
  initialState: () => ({ holder: null }),
};
