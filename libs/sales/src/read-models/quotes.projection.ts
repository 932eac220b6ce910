import { defineProjection, domainEventOf, Recorded } from '@salesline/core';
import { everyEventType } from '@salesline/shared-kernel';
import { evolveQuote, pendingQuoteOverrides, QuoteEvent, QuoteState } from '../domain/quote';

type KnownQuote = Exclude<QuoteState, { status: 'none' }>;

/** A quote as salespeople and managers follow it: the decider's own state plus what lists need. */
export type QuoteDoc = KnownQuote & {
  id: string;
  /** Σ quantity × unitPrice of the current revision, minor units. */
  total: number;
  pendingOverrideCount: number;
  rejectionReason: string | null;
  updatedAt: string;
  version: number;
};

/** Every quote event type, checked complete by the compiler (the targets' quote facts fold them too). */
export const QUOTE_EVENT_TYPES = everyEventType<QuoteEvent>()([
  'QuoteIssued',
  'QuoteRevised',
  'QuotePriceOverrideRequested',
  'QuotePriceOverrideApproved',
  'QuotePriceOverrideRejected',
  'QuoteAccepted',
  'QuoteRejected',
  'QuoteExpired',
  'QuoteConverted',
]);

/** Folds with the decider's `evolve`, so the read model never disagrees with the decider about a quote. */
export const evolveQuoteDoc = (doc: QuoteDoc | null, recorded: Recorded<QuoteEvent>): QuoteDoc | null => {
  const event = domainEventOf(recorded);
  const {
    id: _id,
    total: _t,
    pendingOverrideCount: _p,
    rejectionReason,
    updatedAt: _u,
    version: _v,
    ...state
  } = doc ?? {
    status: 'none' as const,
    rejectionReason: null,
  };
  const next = evolveQuote(state as QuoteState, event);
  if (next.status === 'none') return null;
  return {
    ...next,
    id: next.quoteId,
    total: next.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0),
    pendingOverrideCount: pendingQuoteOverrides(next).length,
    rejectionReason: event.type === 'QuoteRejected' ? event.data.reason : rejectionReason,
    updatedAt: recorded.metadata.occurredAt,
    version: recorded.revision,
  };
};

export const quotesProjection = defineProjection<QuoteEvent>()({
  name: 'quotes',
  collection: 'quotes',
  handles: QUOTE_EVENT_TYPES,
  indexes: [{ fields: ['customerId'] }, { fields: ['salespersonId'] }, { fields: ['status', 'validUntil'] }],
  documentIds: (event) => [event.data.quoteId],
  evolve: evolveQuoteDoc,
});
