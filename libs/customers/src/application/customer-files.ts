import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, loadState } from '@salesline/core';
import { notFound } from '@salesline/shared-kernel';
import { customerDecider, CustomerState, customerStream } from '../domain/customer';

export type KnownCustomer = Exclude<CustomerState, { status: 'unregistered' }>;

/** Reads a customer file straight from its stream: the current terms, never a stale copy. */
@Injectable()
export class CustomerFiles {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async load(customerId: string): Promise<KnownCustomer> {
    const { state } = await loadState(this.events, customerStream(customerId), customerDecider);
    if (state.status === 'unregistered') throw notFound('CustomerNotFound', `Customer ${customerId} does not exist`);
    return state;
  }
}
