/**
 * Quote facts for the pipeline and the win rate (ADR 0210): one document per quote with a dated timeline of
 * its status and value. Folded with the domain's `evolveQuote`, so a rejected price override reprices the
 * quote here exactly as in the decider.
 * - won: QuoteAccepted, or QuoteConverted without an acceptance before it;
 * - lost: QuoteRejected, QuoteExpired;
 * - open again: QuoteRevised (a new revision reopens the quote).
 */
import { defineProjection, domainEventOf, Recorded } from '@salesline/core';
import { QUOTE_EVENT_TYPES, QuoteEvent, QuoteState, evolveQuote } from '@salesline/sales';
import { BusinessDate, compareDates } from '@salesline/shared-kernel';

export type QuoteOutcome = 'open' | 'won' | 'lost';
/** `validUntil`: the offer's last day; an open quote past it is no longer in the pipeline, even before the expiry sweep. */
export type QuoteTimelineEntry = { on: BusinessDate; outcome: QuoteOutcome; value: number; validUntil: BusinessDate };
export type QuoteFactsDoc = {
  id: string;
  quoteId: string;
  customerId: string;
  salespersonId: string;
  quoteDate: BusinessDate;
  timeline: QuoteTimelineEntry[];
  /** The domain state (internal). */
  state: Exclude<QuoteState, { status: 'none' }>;
};

const valueOf = (state: Exclude<QuoteState, { status: 'none' }>) => state.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);

const step = (event: QuoteEvent, last: QuoteTimelineEntry | undefined): Omit<QuoteTimelineEntry, 'value' | 'validUntil'> | null => {
  switch (event.type) {
    case 'QuoteIssued':
      return { on: event.data.quoteDate, outcome: 'open' };
    case 'QuoteRevised':
      return { on: event.data.revisedOn, outcome: 'open' };
    case 'QuoteAccepted':
      return { on: event.data.acceptedOn, outcome: 'won' };
    case 'QuoteConverted':
      return last?.outcome === 'won' ? null : { on: event.data.convertedOn, outcome: 'won' };
    case 'QuoteRejected':
      return { on: event.data.rejectedOn, outcome: 'lost' };
    case 'QuoteExpired':
      return { on: event.data.expiredOn, outcome: 'lost' };
    default:
      return null;
  }
};

export const evolveQuoteFacts = (doc: QuoteFactsDoc | null, recorded: Recorded<QuoteEvent>): QuoteFactsDoc | null => {
  const event = domainEventOf(recorded);
  const state = evolveQuote(doc ? doc.state : { status: 'none' }, event);
  if (state.status === 'none') return doc;
  const timeline = [...(doc?.timeline ?? [])];
  const next = step(event, timeline.at(-1));
  if (next) timeline.push({ ...next, value: valueOf(state), validUntil: state.validUntil });
  else if (timeline.length > 0)
    timeline[timeline.length - 1] = { ...timeline[timeline.length - 1], value: valueOf(state), validUntil: state.validUntil };
  return {
    id: state.quoteId,
    quoteId: state.quoteId,
    customerId: state.customerId,
    salespersonId: state.salespersonId,
    quoteDate: state.quoteDate,
    timeline,
    state,
  };
};

/** Where a quote stood on a date: the last timeline entry dated on or before it (null before it was issued). */
export const quoteAsOf = (doc: Pick<QuoteFactsDoc, 'timeline'>, date: BusinessDate): QuoteTimelineEntry | null =>
  doc.timeline.filter((e) => compareDates(e.on, date) <= 0).at(-1) ?? null;

export const salesProgressQuotesProjection = defineProjection<QuoteEvent>()({
  name: 'sales_progress_quotes',
  collection: 'sales_progress_quotes',
  handles: QUOTE_EVENT_TYPES,
  indexes: [{ fields: ['salespersonId'] }, { fields: ['quoteDate'] }],
  documentIds: (event) => [event.data.quoteId],
  evolve: evolveQuoteFacts,
});
