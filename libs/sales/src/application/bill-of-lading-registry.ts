import { defineAggregate } from '@salesline/core';
import { BusinessDate, Command, conflict, Decider, DomainEvent } from '@salesline/shared-kernel';
import { createHash } from 'node:crypto';

/** `reservedOn`: the business date of the delivery that takes the number (reservations written before issue 8 §3 lack it). */
export type BillOfLadingReservation = { billOfLading: string; orderId: string; deliveryId: string; reservedOn: BusinessDate };
export type ReserveBillOfLading = Command<'ReserveBillOfLading', BillOfLadingReservation & { recordedDeliveryIds: readonly string[] }>;
export type BillOfLadingReserved = DomainEvent<'BillOfLadingReserved', BillOfLadingReservation>;
type BillOfLadingState = { status: 'free' } | ({ status: 'reserved' } & BillOfLadingReservation);

/**
 * A bill of lading number is unique company-wide. Uniqueness across orders cannot live in one
 * order's stream, so each number gets a reservation stream of its own, appended with
 * `no_stream` semantics through the decider (the classic event-sourcing uniqueness pattern).
 * A reservation the same order left behind without recording its delivery may be reused.
 */
export const billOfLadingDecider: Decider<BillOfLadingState, ReserveBillOfLading, BillOfLadingReserved> = {
  initialState: () => ({ status: 'free' }),
  decide: (command, state) => {
    const { billOfLading, orderId, deliveryId, reservedOn } = command.data;
    if (state.status === 'free') return [{ type: 'BillOfLadingReserved', data: { billOfLading, orderId, deliveryId, reservedOn } }];
    if (state.orderId === orderId && (state.deliveryId === deliveryId || !command.data.recordedDeliveryIds.includes(state.deliveryId)))
      return [];
    throw conflict('DuplicateBillOfLading', `Bill of lading ${billOfLading} is already used by another delivery`, { billOfLading });
  },
  evolve: (_state, event) => ({ status: 'reserved', ...event.data }),
};

export const billOfLadingStream = (billOfLading: string) =>
  `bill-of-lading-${createHash('sha256').update(billOfLading.trim().toUpperCase()).digest('hex').slice(0, 40)}`;

/** The company-wide register of a bill of lading number: `bill-of-lading-<hash>`, started by its reservation. */
export const BILL_OF_LADING = defineAggregate({ streamName: billOfLadingStream, decider: billOfLadingDecider });
