import { Projection, RecordedEvent } from '@salesline/core';
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

const HANDLED: Record<QuoteEvent['type'], true> = {
  QuoteIssued: true,
  QuoteRevised: true,
  QuotePriceOverrideRequested: true,
  QuotePriceOverrideApproved: true,
  QuotePriceOverrideRejected: true,
  QuoteAccepted: true,
  QuoteRejected: true,
  QuoteExpired: true,
  QuoteConverted: true,
};

/** Folds with the decider's `evolve`, so the read model never disagrees with the decider about a quote. */
export const evolveQuoteDoc = (doc: QuoteDoc | null, recorded: RecordedEvent): QuoteDoc | null => {
  const event = { type: recorded.type, data: recorded.data } as QuoteEvent;
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

export const quotesProjection: Projection<QuoteDoc> = {
  name: 'quotes',
  collection: 'quotes',
  handles: Object.keys(HANDLED),
  indexes: [{ fields: ['customerId'] }, { fields: ['salespersonId'] }, { fields: ['status', 'validUntil'] }],
  documentIds: (event) => [(event.data as { quoteId: string }).quoteId],
  evolve: evolveQuoteDoc,
};
