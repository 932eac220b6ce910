/**
 * Quote facts for the pipeline and the win rate (ADR 0210): one document per quote with a dated timeline of
 * its status and value. Folded with the domain's `evolveQuote`, so a rejected price override reprices the
 * quote here exactly as in the decider.
 * - won: QuoteAccepted, or QuoteConverted without an acceptance before it;
 * - lost: QuoteRejected, QuoteExpired;
 * - open again: QuoteRevised (a new revision reopens the quote).
 */
import { defineProjection, domainEventOf, Recorded, writtenBy } from '@salesline/core';
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
  documentation: {
    document: 'QuoteFactsDoc',
    context: 'targets',
    summary: 'Quote outcomes per quote (pipeline, won, lost) for the sales-progress report.',
    meanings: {
      'state.quoteId': 'The quote id.',
      'state.customerId': 'The customer quoted.',
      'state.salespersonId': 'The salesperson who issued it.',
      'state.quoteDate': 'Business date of issue.',
      'state.validUntil': 'Last day the customer may accept it.',
      'state.revision': 'Current revision (1 for the first issue).',
      'state.lines': 'Lines of the current revision.',
      'state.lines[].lineId': 'The line id.',
      'state.lines[].productId': 'The product quoted.',
      'state.lines[].quantity': 'Quantity quoted.',
      'state.lines[].unitPrice': 'Unit price offered, minor units (an approved override included).',
      'state.lines[].resolvedUnitPrice': 'Price resolved from price lists before any override, minor units.',
      'state.lines[].priceSource': 'Where the resolved price came from.',
      'state.lines[].priceSource.kind': "`customer` (its price list), `group` (its group's list) or `list` (the product's list price).",
      'state.lines[].priceSource.priceListId': 'The price list applied, when one was.',
      'state.lines[].priceSource.minQuantity': 'The quantity break applied.',
      'state.lines[].unitCost': 'Standard cost per unit when quoted, minor units.',
      'state.revisions[].revision': 'Revision number.',
      'state.revisions[].issuedOn': 'Business date that revision was issued.',
      'state.revisions[].validUntil': 'Its validity.',
      'state.revisions[].lines': 'Its lines.',
      'state.revisions[].lines[].lineId': 'The line id.',
      'state.revisions[].lines[].productId': 'The product quoted.',
      'state.revisions[].lines[].quantity': 'Quantity quoted.',
      'state.revisions[].lines[].unitPrice': 'Unit price offered, minor units (an approved override included).',
      'state.revisions[].lines[].resolvedUnitPrice': 'Price resolved from price lists before any override, minor units.',
      'state.revisions[].lines[].priceSource': 'Where the resolved price came from.',
      'state.revisions[].lines[].priceSource.kind':
        "`customer` (its price list), `group` (its group's list) or `list` (the product's list price).",
      'state.revisions[].lines[].priceSource.priceListId': 'The price list applied, when one was.',
      'state.revisions[].lines[].priceSource.minQuantity': 'The quantity break applied.',
      'state.revisions[].lines[].unitCost': 'Standard cost per unit when quoted, minor units.',
      'state.overrides[].overrideId': 'The override request id.',
      'state.overrides[].lineId': 'The line whose price is overridden.',
      'state.overrides[].revision': 'Revision it was requested on.',
      'state.overrides[].status': '`pending`, `approved` or `rejected`.',
      'state.overrides[].resolvedUnitPrice': 'Price from the price lists, minor units.',
      'state.overrides[].requestedUnitPrice': 'Price requested, minor units.',
      'state.overrides[].approvedBy': 'Who approved or rejected it.',
      'state.overrides[].allowedBp': "The requester's discount authority, basis points.",
      'state.overrides[].belowCost': 'Whether the requested price is below standard cost (needs the cost-floor approval).',
      'state.overrides[].requestedBy': 'Who requested it.',
      'state.overrides[].requestedOn': 'Business date requested.',
      'state.overrides[].reason': 'Why the price was requested.',
      'state.overrides[].decidedOn': 'Business date of the decision.',
      'state.overrides[].decisionReason': 'Why it was approved or rejected.',
      'state.orderId': 'The order it was converted to (null until converted).',
      'state.status': '`open`, `accepted`, `rejected`, `expired` or `converted`.',
      id: 'The quote id.',
      quoteId: 'The quote id.',
      customerId: 'The customer quoted.',
      salespersonId: 'The salesperson who issued it.',
      timeline: 'What the quote became over time (open pipeline, won, lost), for the pipeline and win rate.',
      'timeline[].outcome': '`open`, `won` or `lost` from that date.',
      'timeline[].value': 'Quote value (quantity × unit price of the current lines) from that date, minor units.',
    },
    sources: {
      ...writtenBy(
        ['QuoteIssued'],
        [
          'id',
          'quoteId',
          'customerId',
          'salespersonId',
          'quoteDate',
          'state.quoteId',
          'state.customerId',
          'state.salespersonId',
          'state.quoteDate',
          'state.validUntil',
          'state.revision',
          'state.lines',
          'state.lines[].lineId',
          'state.lines[].productId',
          'state.lines[].quantity',
          'state.lines[].unitPrice',
          'state.lines[].resolvedUnitPrice',
          'state.lines[].priceSource',
          'state.lines[].priceSource.kind',
          'state.lines[].priceSource.priceListId',
          'state.lines[].priceSource.minQuantity',
          'state.lines[].unitCost',
          'state.revisions',
          'state.revisions[].revision',
          'state.revisions[].issuedOn',
          'state.revisions[].validUntil',
          'state.revisions[].lines',
          'state.revisions[].lines[].lineId',
          'state.revisions[].lines[].productId',
          'state.revisions[].lines[].quantity',
          'state.revisions[].lines[].unitPrice',
          'state.revisions[].lines[].resolvedUnitPrice',
          'state.revisions[].lines[].priceSource',
          'state.revisions[].lines[].priceSource.kind',
          'state.revisions[].lines[].priceSource.priceListId',
          'state.revisions[].lines[].priceSource.minQuantity',
          'state.revisions[].lines[].unitCost',
          'state.overrides',
        ],
      ),
      ...writtenBy(
        ['QuoteIssued', 'QuoteAccepted', 'QuoteRejected', 'QuoteExpired'],
        ['timeline', 'timeline[].on', 'timeline[].outcome', 'timeline[].value', 'timeline[].validUntil'],
      ),
      state: ['QuoteIssued', 'QuoteAccepted', 'QuoteConverted', 'QuoteRejected'],
      ...writtenBy(['QuoteIssued', 'QuoteRevised'], ['state.lines[].freeOfCharge', 'state.revisions[].lines[].freeOfCharge']),
      ...writtenBy(
        ['QuotePriceOverrideRequested', 'QuotePriceOverrideApproved', 'QuotePriceOverrideRejected'],
        [
          'state.overrides[].overrideId',
          'state.overrides[].lineId',
          'state.overrides[].revision',
          'state.overrides[].status',
          'state.overrides[].resolvedUnitPrice',
          'state.overrides[].requestedUnitPrice',
          'state.overrides[].approvedBy',
          'state.overrides[].discountBp',
          'state.overrides[].allowedBp',
          'state.overrides[].belowCost',
          'state.overrides[].requestedBy',
          'state.overrides[].requestedOn',
          'state.overrides[].reason',
          'state.overrides[].decidedBy',
          'state.overrides[].decidedOn',
          'state.overrides[].decisionReason',
        ],
      ),
      'state.orderId': ['QuoteIssued', 'QuoteConverted'],
      'state.status': ['QuoteIssued', 'QuoteAccepted', 'QuoteConverted', 'QuoteRejected', 'QuoteExpired'],
    },
  },
  handles: QUOTE_EVENT_TYPES,
  indexes: [{ fields: ['salespersonId'] }, { fields: ['quoteDate'] }],
  documentIds: (event) => [event.data.quoteId],
  evolve: evolveQuoteFacts,
});
