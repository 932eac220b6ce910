import type { Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { addDays, assertNever, compareDates, conflict, notFound, ruleViolation, appended } from '@salesline/shared-kernel';
import { FreeOfChargeReason } from '@salesline/pricing/domain';
import { requireDate, requireId, requireRole, requireText, requireUnique } from '@salesline/shared-kernel';
import { assertMayApproveOverride, checkedSoldLine, overrideApproval, overrideNeeded, overrideRejection } from './price-approval';
import { OverrideApprovalFacts, OverrideRejectionFacts, OverrideRequestFacts, SoldLine } from './price-approval';
import { SalesSettings } from './settings';

/** A quotation with revisions. Stream: `quote-<quoteId>`. */
export const quoteStream = (quoteId: string) => `quote-${quoteId}`;

export type QuoteLine = SoldLine & {
  /** Present on a line given away for a named reason (a zero price is refused otherwise, ADR 0112). */
  freeOfCharge?: FreeOfChargeReason;
};
export type QuoteLineInput = QuoteLine & {
  overrideReason?: string | null;
  /** From the price book: the resolved list price was approved below cost knowing this cost (ADR 0112). */
  resolvedBelowCostApprovedAtCost?: number | null;
};

// ── events ──────────────────────────────────────────────────────────────────────────────
export type QuoteIssued = DomainEvent<
  'QuoteIssued',
  { quoteId: string; customerId: string; salespersonId: string; quoteDate: string; validUntil: string; lines: QuoteLine[]; revision: 1 }
>;
export type QuoteRevised = DomainEvent<
  'QuoteRevised',
  { quoteId: string; revision: number; revisedOn: string; validUntil: string; lines: QuoteLine[] }
>;
export type QuotePriceOverrideRequested = DomainEvent<
  'QuotePriceOverrideRequested',
  { overrideId: string; quoteId: string; revision: number } & OverrideRequestFacts
>;
export type QuotePriceOverrideApproved = DomainEvent<
  'QuotePriceOverrideApproved',
  { overrideId: string; quoteId: string } & OverrideApprovalFacts
>;
export type QuotePriceOverrideRejected = DomainEvent<
  'QuotePriceOverrideRejected',
  { overrideId: string; quoteId: string } & OverrideRejectionFacts
>;
export type QuoteAccepted = DomainEvent<'QuoteAccepted', { quoteId: string; revision: number; acceptedOn: string }>;
export type QuoteRejected = DomainEvent<'QuoteRejected', { quoteId: string; reason: string; rejectedOn: string }>;
export type QuoteExpired = DomainEvent<'QuoteExpired', { quoteId: string; validUntil: string; expiredOn: string }>;
export type QuoteConverted = DomainEvent<'QuoteConverted', { quoteId: string; orderId: string; revision: number; convertedOn: string }>;

export type QuoteEvent =
  | QuoteIssued
  | QuoteRevised
  | QuotePriceOverrideRequested
  | QuotePriceOverrideApproved
  | QuotePriceOverrideRejected
  | QuoteAccepted
  | QuoteRejected
  | QuoteExpired
  | QuoteConverted;

// ── commands ────────────────────────────────────────────────────────────────────────────
type PricingSettings = Pick<SalesSettings, 'maxDiscountBpByRole' | 'quoteValidityDays'>;
export type IssueQuote = Command<
  'IssueQuote',
  {
    quoteId: string;
    customerId: string;
    salespersonId: string;
    quoteDate: string;
    validUntil?: string | null;
    lines: QuoteLineInput[];
    settings: PricingSettings;
  }
>;
/** A new revision replaces all lines; validUntil defaults to today + quoteValidityDays. */
/** `revisedOn`: business date of the revision (default today). */
export type ReviseQuote = Command<
  'ReviseQuote',
  { lines: QuoteLineInput[]; validUntil?: string | null; revisedOn?: string; settings: PricingSettings }
>;
export type ApproveQuotePriceOverride = Command<
  'ApproveQuotePriceOverride',
  { overrideId: string; reason: string; approvedOn?: string; settings: Pick<SalesSettings, 'maxDiscountBpByRole'> }
>;
export type RejectQuotePriceOverride = Command<'RejectQuotePriceOverride', { overrideId: string; reason: string; rejectedOn?: string }>;
/** `acceptedOn`: the business date of the customer's acceptance (default today). */
export type AcceptQuote = Command<'AcceptQuote', { acceptedOn?: string }>;
export type RejectQuote = Command<'RejectQuote', { reason: string; rejectedOn?: string }>;
/** The expiry sweep: a no-op unless the quote is open/accepted and `today` is past validUntil. */
export type ExpireQuote = Command<'ExpireQuote', Record<string, never>>;
/** `convertedOn`: the order's business date (default today) — validity is judged on it, so history can be entered as it happened. */
export type ConvertQuote = Command<
  'ConvertQuote',
  { orderId: string; convertedOn?: string; settings: Pick<SalesSettings, 'allowConvertExpiredQuote'> }
>;

export type QuoteCommand =
  IssueQuote | ReviseQuote | ApproveQuotePriceOverride | RejectQuotePriceOverride | AcceptQuote | RejectQuote | ExpireQuote | ConvertQuote;

// ── state ───────────────────────────────────────────────────────────────────────────────
export type QuotePriceOverride = {
  overrideId: string;
  lineId: string;
  revision: number;
  status: 'pending' | 'approved' | 'rejected';
  resolvedUnitPrice: number;
  requestedUnitPrice: number;
  approvedBy: string | null;
  /** What the request recorded, for the managers who decide (issue 8, §4). */
  discountBp: number;
  allowedBp: number | null;
  belowCost: boolean;
  requestedBy: string;
  requestedOn: string;
  reason: string | null;
  /** The decision: approved or rejected by whom, when, why (null while pending). */
  decidedBy: string | null;
  decidedOn: string | null;
  decisionReason: string | null;
};
type QuoteData = {
  quoteId: string;
  customerId: string;
  salespersonId: string;
  quoteDate: string;
  validUntil: string;
  revision: number;
  lines: QuoteLine[];
  /** Every revision as issued, oldest first (the current one last). */
  revisions: { revision: number; issuedOn: string; validUntil: string; lines: QuoteLine[] }[];
  /** Overrides of the current revision. */
  overrides: QuotePriceOverride[];
  orderId: string | null;
};
export type QuoteStatus = 'open' | 'accepted' | 'rejected' | 'expired' | 'converted';
export type QuoteState = { status: 'none' } | ({ status: QuoteStatus } & QuoteData);

export const pendingQuoteOverrides = (state: QuoteData) => state.overrides.filter((o) => o.status === 'pending');

/** What a command on a quote answers: the quote's status, or awaiting_price_approval while an override is pending (as orders say it). */
export const quoteAnswerStatus = (state: QuoteState): string => {
  if (state.status === 'none') return 'none';
  return (state.status === 'open' || state.status === 'accepted') && pendingQuoteOverrides(state).length > 0
    ? 'awaiting_price_approval'
    : state.status;
};

/** Lines for PlaceOrder when converting: carries the approvals granted on the quote (ADR 0103). */
export const orderLinesFromQuote = (state: QuoteData) =>
  state.lines.map((line) => {
    const approved = state.overrides.find((o) => o.lineId === line.lineId && o.status === 'approved');
    return {
      ...line,
      preApproved: approved
        ? { overrideId: approved.overrideId, approvedBy: approved.approvedBy ?? '', approvedUnitPrice: approved.requestedUnitPrice }
        : null,
    };
  });

// ── decide ──────────────────────────────────────────────────────────────────────────────
const validateLines = (lines: readonly QuoteLineInput[]): QuoteLine[] => {
  if (!Array.isArray(lines) || lines.length === 0) throw ruleViolation('EmptyQuote', 'a quote needs at least one line');
  requireUnique(
    lines.map((l) => l.lineId),
    'DuplicateLineId',
    'lineId',
  );
  return lines.map((l) => {
    const { line, freeOfCharge } = checkedSoldLine(l, () => ({}));
    return { ...line, ...(freeOfCharge ? { freeOfCharge } : {}) };
  });
};

const overrideRequests = (
  command: IssueQuote | ReviseQuote,
  quote: { quoteId: string; salespersonId: string; revision: number; documentDate: string },
  inputs: readonly QuoteLineInput[],
  lines: readonly QuoteLine[],
): QuotePriceOverrideRequested[] =>
  lines.flatMap((line, i) => {
    const reason = inputs[i].overrideReason ?? null;
    const need = overrideNeeded(
      { ...line, overrideReason: reason, resolvedBelowCostApprovedAtCost: inputs[i].resolvedBelowCostApprovedAtCost ?? null },
      command.context.actor,
      command.data.settings,
    );
    if (!need) return [];
    return [
      {
        type: 'QuotePriceOverrideRequested' as const,
        data: {
          overrideId: `${quote.quoteId}-r${quote.revision}-${line.lineId}`,
          quoteId: quote.quoteId,
          revision: quote.revision,
          lineId: line.lineId,
          salespersonId: quote.salespersonId,
          requestedBy: command.context.actor.userId,
          resolvedUnitPrice: line.resolvedUnitPrice,
          requestedUnitPrice: line.unitPrice,
          ...need,
          reason,
          // a consequence of the quote or revision: it carries that document's business date
          requestedOn: quote.documentDate,
        },
      },
    ];
  });

const existing = (state: QuoteState) => {
  if (state.status === 'none') throw notFound('QuoteNotFound', 'quote does not exist');
  return state;
};
/** An override id ends with its line id; `…-r1-L1` and `…-r1-line-1` name the same override (line ids, ADR 0113). */
const overrideKey = (overrideId: string) =>
  typeof overrideId === 'string' ? overrideId.replace(/-(?:L|line-)([1-9][0-9]*)$/, '-#$1') : overrideId;
const pendingOverride = (state: QuoteData, overrideId: string) => {
  const o =
    state.overrides.find((x) => x.overrideId === overrideId) ??
    state.overrides.find((x) => overrideKey(x.overrideId) === overrideKey(overrideId));
  if (!o) throw notFound('PriceOverrideNotFound', `override ${overrideId} not found on the current revision`, { overrideId });
  if (o.status !== 'pending') throw conflict('PriceOverrideNotPending', `override ${overrideId} is ${o.status}`, { overrideId });
  return o;
};
const refuseClosed = (state: { status: QuoteStatus; quoteId: string; orderId: string | null }) => {
  if (state.status === 'converted')
    throw conflict('QuoteAlreadyConverted', `quote already converted into order ${state.orderId}`, { orderId: state.orderId });
  if (state.status === 'rejected') throw conflict('QuoteClosed', 'quote was rejected');
};
const isPastValidity = (state: { status: QuoteStatus; validUntil: string }, today: string) =>
  state.status === 'expired' || compareDates(today, state.validUntil) > 0;

export const decideQuote = (command: QuoteCommand, state: QuoteState): QuoteEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'IssueQuote': {
      if (state.status !== 'none') throw conflict('QuoteAlreadyIssued', 'quote already issued', { quoteId: state.quoteId });
      const d = command.data;
      const quoteDate = requireDate(d.quoteDate, 'quoteDate');
      const validUntil = d.validUntil ? requireDate(d.validUntil, 'validUntil') : addDays(quoteDate, d.settings.quoteValidityDays);
      if (compareDates(validUntil, quoteDate) < 0) throw ruleViolation('InvalidValidityPeriod', 'validUntil must not be before quoteDate');
      const lines = validateLines(d.lines);
      const issued: QuoteIssued = {
        type: 'QuoteIssued',
        data: {
          quoteId: requireId(d.quoteId, 'quoteId'),
          customerId: requireId(d.customerId, 'customerId'),
          salespersonId: requireId(d.salespersonId, 'salespersonId'),
          quoteDate,
          validUntil,
          lines,
          revision: 1,
        },
      };
      return [issued, ...overrideRequests(command, { ...issued.data, documentDate: issued.data.quoteDate }, d.lines, lines)];
    }
    case 'ReviseQuote': {
      const s = existing(state);
      refuseClosed(s);
      const d = command.data;
      const revisedOn = requireDate(d.revisedOn ?? today, 'revisedOn');
      const validUntil = d.validUntil ? requireDate(d.validUntil, 'validUntil') : addDays(revisedOn, d.settings.quoteValidityDays);
      if (compareDates(validUntil, revisedOn) < 0)
        throw ruleViolation('InvalidValidityPeriod', 'validUntil must not be before the revision');
      const lines = validateLines(d.lines);
      const revision = s.revision + 1;
      return [
        { type: 'QuoteRevised', data: { quoteId: s.quoteId, revision, revisedOn, validUntil, lines } },
        ...overrideRequests(
          command,
          { quoteId: s.quoteId, salespersonId: s.salespersonId, revision, documentDate: revisedOn },
          d.lines,
          lines,
        ),
      ];
    }
    case 'ApproveQuotePriceOverride': {
      const s = existing(state);
      refuseClosed(s);
      const o = pendingOverride(s, command.data.overrideId);
      const line = s.lines.find((l) => l.lineId === o.lineId)!;
      const reason = assertMayApproveOverride({ ...o, unitCost: line.unitCost }, actor, command.data.reason, command.data.settings);
      const data = overrideApproval(o, { quoteId: s.quoteId }, actor, reason, command.data.approvedOn, today);
      return [{ type: 'QuotePriceOverrideApproved', data }];
    }
    case 'RejectQuotePriceOverride': {
      requireRole(actor, 'PriceOverrideApprovalForbidden', 'sales_manager');
      const s = existing(state);
      refuseClosed(s);
      const o = pendingOverride(s, command.data.overrideId);
      return [{ type: 'QuotePriceOverrideRejected', data: overrideRejection(o, { quoteId: s.quoteId }, actor, command.data, today) }];
    }
    case 'AcceptQuote': {
      const s = existing(state);
      refuseClosed(s);
      if (s.status === 'accepted') return [];
      const acceptedOn = command.data.acceptedOn === undefined ? today : requireDate(command.data.acceptedOn, 'acceptedOn');
      if (isPastValidity(s, acceptedOn))
        throw conflict('QuoteExpired', `quote was valid until ${s.validUntil}`, { validUntil: s.validUntil });
      if (pendingQuoteOverrides(s).length > 0) throw conflict('QuotePriceApprovalPending', 'prices of this quote await approval');
      return [{ type: 'QuoteAccepted', data: { quoteId: s.quoteId, revision: s.revision, acceptedOn } }];
    }
    case 'RejectQuote': {
      const s = existing(state);
      refuseClosed(s);
      const rejectedOn = command.data.rejectedOn === undefined ? today : requireDate(command.data.rejectedOn, 'rejectedOn');
      return [
        {
          type: 'QuoteRejected',
          data: { quoteId: s.quoteId, reason: requireText(command.data.reason, 'reason', 'ReasonRequired'), rejectedOn },
        },
      ];
    }
    case 'ExpireQuote': {
      const s = existing(state);
      if ((s.status !== 'open' && s.status !== 'accepted') || compareDates(today, s.validUntil) <= 0) return [];
      // The quote lapsed the day after its last valid day, whenever the sweep notices it (issue 8 §3).
      return [{ type: 'QuoteExpired', data: { quoteId: s.quoteId, validUntil: s.validUntil, expiredOn: addDays(s.validUntil, 1) } }];
    }
    case 'ConvertQuote': {
      const s = existing(state);
      refuseClosed(s);
      const convertedOn = command.data.convertedOn === undefined ? today : requireDate(command.data.convertedOn, 'convertedOn');
      if (isPastValidity(s, convertedOn) && !command.data.settings.allowConvertExpiredQuote) {
        throw conflict('QuoteExpired', `quote was valid until ${s.validUntil}`, { validUntil: s.validUntil });
      }
      if (pendingQuoteOverrides(s).length > 0) throw conflict('QuotePriceApprovalPending', 'prices of this quote await approval');
      return [
        {
          type: 'QuoteConverted',
          data: { quoteId: s.quoteId, orderId: requireId(command.data.orderId, 'orderId'), revision: s.revision, convertedOn },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

// ── evolve ──────────────────────────────────────────────────────────────────────────────
/** The overrides with `overrideId` decided: its status, and who decided it, when and why. */
const withDecision = (overrides: QuotePriceOverride[], overrideId: string, decision: Partial<QuotePriceOverride>): QuotePriceOverride[] =>
  overrides.map((o) => (o.overrideId === overrideId ? { ...o, ...decision } : o));

export const evolveQuote = (state: QuoteState, event: QuoteEvent): QuoteState => {
  if (event.type === 'QuoteIssued') {
    const d = event.data;
    return {
      status: 'open',
      ...d,
      revisions: [{ revision: 1, issuedOn: d.quoteDate, validUntil: d.validUntil, lines: d.lines }],
      overrides: [],
      orderId: null,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'QuoteRevised': {
      const d = event.data;
      return {
        ...state,
        status: 'open',
        revision: d.revision,
        validUntil: d.validUntil,
        lines: d.lines,
        revisions: appended(state.revisions, { revision: d.revision, issuedOn: d.revisedOn, validUntil: d.validUntil, lines: d.lines }),
        overrides: [],
      };
    }
    case 'QuotePriceOverrideRequested': {
      const d = event.data;
      const o: QuotePriceOverride = {
        overrideId: d.overrideId,
        lineId: d.lineId,
        revision: d.revision,
        status: 'pending',
        resolvedUnitPrice: d.resolvedUnitPrice,
        requestedUnitPrice: d.requestedUnitPrice,
        approvedBy: null,
        discountBp: d.discountBp,
        allowedBp: d.allowedBp,
        belowCost: d.belowCost,
        requestedBy: d.requestedBy,
        requestedOn: d.requestedOn,
        reason: d.reason,
        decidedBy: null,
        decidedOn: null,
        decisionReason: null,
      };
      return { ...state, overrides: appended(state.overrides, o) };
    }
    case 'QuotePriceOverrideApproved': {
      const { overrideId, approvedBy, approvedOn, reason } = event.data;
      const decision = { status: 'approved', approvedBy, decidedBy: approvedBy, decidedOn: approvedOn, decisionReason: reason } as const;
      return { ...state, overrides: withDecision(state.overrides, overrideId, decision) };
    }
    case 'QuotePriceOverrideRejected': {
      const { overrideId, rejectedBy, rejectedOn, reason } = event.data;
      const decision = { status: 'rejected', decidedBy: rejectedBy, decidedOn: rejectedOn, decisionReason: reason } as const;
      return {
        ...state,
        overrides: withDecision(state.overrides, overrideId, decision),
        lines: state.lines.map((l) => (l.lineId === event.data.lineId ? { ...l, unitPrice: event.data.repricedTo } : l)),
      };
    }
    case 'QuoteAccepted':
      return { ...state, status: 'accepted' };
    case 'QuoteRejected':
      return { ...state, status: 'rejected' };
    case 'QuoteExpired':
      return { ...state, status: 'expired' };
    case 'QuoteConverted':
      return { ...state, status: 'converted', orderId: event.data.orderId };
    default:
      return assertNever(event);
  }
};

export const quoteDecider: Decider<QuoteState, QuoteCommand, QuoteEvent> = {
  decide: decideQuote,
  evolve: evolveQuote,
  initialState: () => ({ status: 'none' }),
};
