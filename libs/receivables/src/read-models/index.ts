import { AnyProjection, Projection, RecordedEvent } from '@salesline/core';
import { RECEIVABLES_PROJECTION_HANDLES, ReceivablesDoc, receivablesProjection as evolveReceivables } from './receivables.projection';

const ACCOUNT_STREAM_PREFIX = 'account-';
/** The account events carry no customerId: it is the stream's id, `account-<customerId>`. */
export const customerIdOfAccountEvent = (event: RecordedEvent): string => event.streamName.slice(ACCOUNT_STREAM_PREFIX.length);

/** One document per customer account: the pure receivables evolve, run by the projection runtime. */
export const receivablesReadModel: Projection<ReceivablesDoc> = {
  name: 'receivables',
  collection: 'receivables',
  handles: RECEIVABLES_PROJECTION_HANDLES,
  documentIds: (event) => (event.streamName.startsWith(ACCOUNT_STREAM_PREFIX) ? [customerIdOfAccountEvent(event)] : []),
  evolve: (doc, event, customerId) => evolveReceivables(doc, { type: event.type, data: event.data }, customerId),
};

/** The receivables read models. */
export const receivablesProjections: AnyProjection[] = [receivablesReadModel];

export * from './receivables-report';
