import { defineProjection, domainEventOf, Recorded, writtenBy } from '@salesline/core';
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
  documentation: {
    document: 'QuoteDoc',
    context: 'sales',
    summary: 'One document per quote: current revision, lines, status, validity, overrides. Serves `GET /api/quotes`.',
    meanings: {
      id: 'The quote id.',
      pendingOverrideCount: 'Price overrides awaiting a decision.',
      rejectionReason: "The customer's reason, when rejected.",
      updatedAt: 'Wall-clock time (occurredAt) of the last event applied.',
      version: 'Stream revision of the last event applied (0 for the first).',
      quoteId: 'The quote id.',
      customerId: 'The customer quoted.',
      salespersonId: 'The salesperson who issued it.',
      quoteDate: 'Business date of issue.',
      validUntil: 'Last day the customer may accept it.',
      revision: 'Current revision (1 for the first issue).',
      lines: 'Lines of the current revision.',
      'revisions[].revision': 'Revision number.',
      'revisions[].issuedOn': 'Business date that revision was issued.',
      'revisions[].validUntil': 'Its validity.',
      'revisions[].lines': 'Its lines.',
      'overrides[].overrideId': 'The override request id.',
      'overrides[].lineId': 'The line whose price is overridden.',
      'overrides[].revision': 'Revision it was requested on.',
      'overrides[].status': '`pending`, `approved` or `rejected`.',
      'overrides[].resolvedUnitPrice': 'Price from the price lists, minor units.',
      'overrides[].requestedUnitPrice': 'Price requested, minor units.',
      'overrides[].approvedBy': 'Who approved or rejected it.',
      'overrides[].allowedBp': "The requester's discount authority, basis points.",
      'overrides[].belowCost': 'Whether the requested price is below standard cost (needs the cost-floor approval).',
      'overrides[].requestedBy': 'Who requested it.',
      'overrides[].requestedOn': 'Business date requested.',
      'overrides[].reason': 'Why the price was requested.',
      'overrides[].decidedOn': 'Business date of the decision.',
      'overrides[].decisionReason': 'Why it was approved or rejected.',
      orderId: 'The order it was converted to (null until converted).',
      status: '`open`, `accepted`, `rejected`, `expired` or `converted`.',
      'lines[].lineId': 'The line id.',
      'lines[].productId': 'The product quoted.',
      'lines[].quantity': 'Quantity quoted.',
      'lines[].unitPrice': 'Unit price offered, minor units (an approved override included).',
      'lines[].resolvedUnitPrice': 'Price resolved from price lists before any override, minor units.',
      'lines[].priceSource': 'Where the resolved price came from.',
      'lines[].unitCost': 'Standard cost per unit when quoted, minor units.',
      'lines[].priceSource.kind': "`customer` (its price list), `group` (its group's list) or `list` (the product's list price).",
      'lines[].priceSource.priceListId': 'The price list applied, when one was.',
      'lines[].priceSource.minQuantity': 'The quantity break applied.',
      'revisions[].lines[].lineId': 'The line id.',
      'revisions[].lines[].productId': 'The product quoted.',
      'revisions[].lines[].quantity': 'Quantity quoted.',
      'revisions[].lines[].unitPrice': 'Unit price offered, minor units (an approved override included).',
      'revisions[].lines[].resolvedUnitPrice': 'Price resolved from price lists before any override, minor units.',
      'revisions[].lines[].priceSource': 'Where the resolved price came from.',
      'revisions[].lines[].unitCost': 'Standard cost per unit when quoted, minor units.',
      'revisions[].lines[].priceSource.kind':
        "`customer` (its price list), `group` (its group's list) or `list` (the product's list price).",
      'revisions[].lines[].priceSource.priceListId': 'The price list applied, when one was.',
      'revisions[].lines[].priceSource.minQuantity': 'The quantity break applied.',
    },
    sources: {
      ...writtenBy(
        ['QuoteIssued'],
        [
          'id',
          'total',
          'pendingOverrideCount',
          'quoteId',
          'customerId',
          'salespersonId',
          'quoteDate',
          'validUntil',
          'revision',
          'lines',
          'lines[].lineId',
          'lines[].productId',
          'lines[].quantity',
          'lines[].unitPrice',
          'lines[].resolvedUnitPrice',
          'lines[].priceSource',
          'lines[].priceSource.kind',
          'lines[].priceSource.priceListId',
          'lines[].priceSource.minQuantity',
          'lines[].unitCost',
          'revisions',
          'revisions[].revision',
          'revisions[].issuedOn',
          'revisions[].validUntil',
          'revisions[].lines',
          'revisions[].lines[].lineId',
          'revisions[].lines[].productId',
          'revisions[].lines[].quantity',
          'revisions[].lines[].unitPrice',
          'revisions[].lines[].resolvedUnitPrice',
          'revisions[].lines[].priceSource',
          'revisions[].lines[].priceSource.kind',
          'revisions[].lines[].priceSource.priceListId',
          'revisions[].lines[].priceSource.minQuantity',
          'revisions[].lines[].unitCost',
          'overrides',
        ],
      ),
      rejectionReason: ['QuoteIssued', 'QuoteRejected'],
      ...writtenBy(['QuoteIssued', 'QuoteAccepted', 'QuoteConverted', 'QuoteRejected', 'QuoteExpired'], ['updatedAt', 'version', 'status']),
      ...writtenBy(['QuoteIssued', 'QuoteRevised'], ['lines[].freeOfCharge', 'revisions[].lines[].freeOfCharge']),
      ...writtenBy(
        ['QuotePriceOverrideRequested', 'QuotePriceOverrideApproved', 'QuotePriceOverrideRejected'],
        [
          'overrides[].overrideId',
          'overrides[].lineId',
          'overrides[].revision',
          'overrides[].status',
          'overrides[].resolvedUnitPrice',
          'overrides[].requestedUnitPrice',
          'overrides[].approvedBy',
          'overrides[].discountBp',
          'overrides[].allowedBp',
          'overrides[].belowCost',
          'overrides[].requestedBy',
          'overrides[].requestedOn',
          'overrides[].reason',
          'overrides[].decidedBy',
          'overrides[].decidedOn',
          'overrides[].decisionReason',
        ],
      ),
      orderId: ['QuoteIssued', 'QuoteConverted'],
    },
  },
  handles: QUOTE_EVENT_TYPES,
  indexes: [{ fields: ['customerId'] }, { fields: ['salespersonId'] }, { fields: ['status', 'validUntil'] }],
  documentIds: (event) => [event.data.quoteId],
  evolve: evolveQuoteDoc,
});
