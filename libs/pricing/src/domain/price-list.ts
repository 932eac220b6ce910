import type { Actor, Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { assertNever, compareDates, conflict, forbidden, notFound, ruleViolation, withEntry } from '@salesline/shared-kernel';
import { requireAmount, requireDate, requireId, requireRole, requireText, requireUnique } from '@salesline/shared-kernel';

/** A customer- or group-specific price list with quantity breaks. Stream: `price-list-<priceListId>`. */
export const priceListStream = (priceListId: string) => `price-list-${priceListId}`;

export type PriceListScope = { kind: 'customer'; customerId: string } | { kind: 'group'; customerGroup: string };
export type PriceBreak = { minQuantity: number; unitPrice: number };
export type PriceListItem = { productId: string; breaks: PriceBreak[] };
/** Why a price may be zero: the line is explicitly free of charge for one of these named reasons. */
export const FREE_OF_CHARGE_REASONS = ['sample', 'warranty', 'replacement', 'promotion', 'goodwill'] as const;
export type FreeOfChargeReason = (typeof FREE_OF_CHARGE_REASONS)[number];
/** An item as a manager submits it: prices below standard cost need a reason (and an admin); a zero price a free-of-charge reason too. */
export type PriceListItemInput = PriceListItem & { belowCostReason?: string | null; freeOfCharge?: FreeOfChargeReason | null };
/** An admin's approval of a price below the product's standard cost, valid while the cost stays at or below `standardCost`. */
export type BelowCostApproval = {
  productId: string;
  lowestUnitPrice: number;
  standardCost: number;
  approvedBy: string;
  reason: string;
  freeOfCharge: FreeOfChargeReason | null;
};

/** What `resolvePrice` needs to know of a list (the read side builds it from these events). */
export type PriceListView = {
  priceListId: string;
  scope: PriceListScope;
  validFrom: string;
  validTo: string | null;
  /** From this date on the list no longer applies (null: never closed). */
  closedOn: string | null;
  items: PriceListItem[];
  /** Below-cost prices an admin approved, per product (absent on lists stored before ADR 0112). */
  belowCostApprovals?: Record<string, BelowCostApproval>;
};

/** `createdOn`: the business date the list was published (its validity is `validFrom`..`validTo`). */
export type PriceListCreated = DomainEvent<
  'PriceListCreated',
  {
    priceListId: string;
    name: string;
    scope: PriceListScope;
    validFrom: string;
    validTo: string | null;
    items: PriceListItem[];
    createdOn: string;
  }
>;
export type PriceListItemsChanged = DomainEvent<
  'PriceListItemsChanged',
  { priceListId: string; items: PriceListItem[]; changedOn: string }
>;
export type PriceListClosed = DomainEvent<'PriceListClosed', { priceListId: string; closedOn: string; reason: string | null }>;
/** Written with the items it approves (same append): who allowed a price below cost, why, knowing which cost. */
export type PriceListPriceBelowCostApproved = DomainEvent<
  'PriceListPriceBelowCostApproved',
  { priceListId: string; approvedOn: string } & BelowCostApproval
>;
export type PriceListEvent = PriceListCreated | PriceListItemsChanged | PriceListClosed | PriceListPriceBelowCostApproved;

/**
 * `standardCosts`: each item's product standard cost, read by the handler (the floor, ADR 0112);
 * a product without a known cost is not checked.
 */
export type CreatePriceList = Command<
  'CreatePriceList',
  {
    priceListId: string;
    name: string;
    scope: PriceListScope;
    validFrom: string;
    validTo: string | null;
    items: PriceListItemInput[];
    standardCosts?: Readonly<Record<string, number>>;
    /** The business date of publication: default the day the list starts, or today for a list published ahead of time. */
    createdOn?: string;
  }
>;
export type ChangePriceListItems = Command<
  'ChangePriceListItems',
  { items: PriceListItemInput[]; changedOn?: string; standardCosts?: Readonly<Record<string, number>> }
>;
/** `closedOn` defaults to today; the list applies to dates before it. */
export type ClosePriceList = Command<'ClosePriceList', { closedOn?: string; reason?: string | null }>;
export type PriceListCommand = CreatePriceList | ChangePriceListItems | ClosePriceList;

export type PriceListState =
  { status: 'none' } | ({ status: 'active'; name: string } & PriceListView) | ({ status: 'closed'; name: string } & PriceListView);

/**
 * The cost floor on price lists (ADR 0112): a price below the product's standard cost needs what a
 * below-cost override needs — an admin and a reason — and is recorded as an approval event; a zero
 * price also needs a named free-of-charge reason. Otherwise: PriceBelowCostForbidden (403),
 * BelowCostReasonRequired, ZeroPriceNotFreeOfCharge, InvalidFreeOfChargeReason (422).
 */
export const belowCostApprovals = (
  priceListId: string,
  items: readonly PriceListItemInput[],
  standardCosts: Readonly<Record<string, number>> | undefined,
  actor: Actor,
  approvedOn: string,
): PriceListPriceBelowCostApproved[] =>
  items.flatMap((item) => {
    const lowest = Math.min(...item.breaks.map((b) => b.unitPrice));
    const freeOfCharge = item.freeOfCharge ?? null;
    if (freeOfCharge !== null && !FREE_OF_CHARGE_REASONS.includes(freeOfCharge)) {
      throw ruleViolation('InvalidFreeOfChargeReason', `freeOfCharge must be one of ${FREE_OF_CHARGE_REASONS.join(', ')}`, {
        productId: item.productId,
      });
    }
    if (lowest === 0 && freeOfCharge === null) {
      throw ruleViolation('ZeroPriceNotFreeOfCharge', `a zero price for ${item.productId} needs a free-of-charge reason`, {
        productId: item.productId,
      });
    }
    const standardCost = standardCosts?.[item.productId];
    if (standardCost === undefined || lowest >= standardCost) return [];
    if (!actor.roles.includes('admin')) {
      throw forbidden(
        'PriceBelowCostForbidden',
        `${item.productId}: ${lowest} is below the standard cost ${standardCost}; only an admin may publish it, with a reason`,
        {
          productId: item.productId,
          unitPrice: lowest,
          standardCost,
        },
      );
    }
    const reason = typeof item.belowCostReason === 'string' ? item.belowCostReason.trim() : '';
    if (reason === '')
      throw ruleViolation('BelowCostReasonRequired', `${item.productId}: a price below standard cost needs a reason`, {
        productId: item.productId,
      });
    return [
      {
        type: 'PriceListPriceBelowCostApproved' as const,
        data: {
          priceListId,
          productId: item.productId,
          lowestUnitPrice: lowest,
          standardCost,
          approvedBy: actor.userId,
          reason,
          freeOfCharge,
          approvedOn,
        },
      },
    ];
  });

/** Breaks strictly increasing by minQuantity starting at ≥ 1; prices integers ≥ 0; one item per product. */
export const validatePriceListItems = (items: readonly PriceListItem[]): PriceListItem[] => {
  if (!Array.isArray(items) || items.length === 0) throw ruleViolation('InvalidPriceListItems', 'a price list needs at least one item');
  requireUnique(
    items.map((i) => i.productId),
    'DuplicatePriceListItem',
    'productId',
  );
  return items.map((item) => {
    requireId(item.productId, 'productId');
    if (!Array.isArray(item.breaks) || item.breaks.length === 0) {
      throw ruleViolation('InvalidPriceBreaks', `item ${item.productId} needs at least one price break`, { productId: item.productId });
    }
    let previous = 0;
    for (const b of item.breaks) {
      if (!Number.isSafeInteger(b.minQuantity) || b.minQuantity < 1 || b.minQuantity <= previous) {
        throw ruleViolation(
          'InvalidPriceBreaks',
          `breaks of ${item.productId} must have strictly increasing integer minQuantity starting at ≥ 1`,
          {
            productId: item.productId,
          },
        );
      }
      requireAmount(b.unitPrice, 'unitPrice');
      previous = b.minQuantity;
    }
    return {
      productId: item.productId,
      breaks: item.breaks.map((b: PriceBreak) => ({ minQuantity: b.minQuantity, unitPrice: b.unitPrice })),
    };
  });
};

const validateScope = (scope: PriceListScope): PriceListScope => {
  if (scope?.kind === 'customer') return { kind: 'customer', customerId: requireId(scope.customerId, 'scope.customerId') };
  if (scope?.kind === 'group') return { kind: 'group', customerGroup: requireText(scope.customerGroup, 'scope.customerGroup') };
  throw ruleViolation('InvalidPriceListScope', "scope must be {kind:'customer', customerId} or {kind:'group', customerGroup}");
};

const existing = (state: PriceListState) => {
  if (state.status === 'none') throw notFound('PriceListNotFound', 'price list does not exist');
  return state;
};

export const decidePriceList = (command: PriceListCommand, state: PriceListState): PriceListEvent[] => {
  const { actor, today } = command.context;
  requireRole(actor, 'PriceManagementForbidden', 'sales_manager');
  switch (command.type) {
    case 'CreatePriceList': {
      if (state.status !== 'none')
        throw conflict('PriceListAlreadyExists', 'price list already exists', { priceListId: state.priceListId });
      const d = command.data;
      const validFrom = requireDate(d.validFrom, 'validFrom');
      const validTo = d.validTo === null || d.validTo === undefined ? null : requireDate(d.validTo, 'validTo');
      if (validTo !== null && compareDates(validTo, validFrom) < 0) {
        throw ruleViolation('InvalidValidityPeriod', 'validTo must not be before validFrom', { validFrom, validTo });
      }
      const priceListId = requireId(d.priceListId, 'priceListId');
      const items = validatePriceListItems(d.items);
      const createdOn = requireDate(d.createdOn ?? publishedOn(validFrom, today), 'createdOn');
      return [
        {
          type: 'PriceListCreated',
          data: { priceListId, name: requireText(d.name, 'name'), scope: validateScope(d.scope), validFrom, validTo, items, createdOn },
        },
        // approved on the day the list starts, or today for a list published ahead of time
        ...belowCostApprovals(priceListId, d.items, d.standardCosts, actor, createdOn),
      ];
    }
    case 'ChangePriceListItems': {
      const s = existing(state);
      if (s.status === 'closed') throw conflict('PriceListClosed', 'price list is closed', { priceListId: s.priceListId });
      const items = validatePriceListItems(command.data.items);
      const changedOn = requireDate(command.data.changedOn ?? today, 'changedOn');
      return [
        { type: 'PriceListItemsChanged', data: { priceListId: s.priceListId, items, changedOn } },
        ...belowCostApprovals(s.priceListId, command.data.items, command.data.standardCosts, actor, changedOn),
      ];
    }
    case 'ClosePriceList': {
      const s = existing(state);
      if (s.status === 'closed') return [];
      const closedOn = requireDate(command.data.closedOn ?? today, 'closedOn');
      return [{ type: 'PriceListClosed', data: { priceListId: s.priceListId, closedOn, reason: command.data.reason ?? null } }];
    }
    default:
      return assertNever(command);
  }
};

/** A list entered after it started was published by its first day at the latest; one published ahead of time, today. */
export const publishedOn = (validFrom: string, today: string): string => (compareDates(validFrom, today) < 0 ? validFrom : today);

export const evolvePriceList = (state: PriceListState, event: PriceListEvent): PriceListState => {
  switch (event.type) {
    case 'PriceListCreated': {
      const { createdOn: _c, ...data } = event.data;
      return { status: 'active', ...data, closedOn: null, belowCostApprovals: {} };
    }
    case 'PriceListItemsChanged':
      // new items: earlier approvals no longer apply; the approvals written with the change follow
      return state.status === 'none' ? state : { ...state, items: event.data.items, belowCostApprovals: {} };
    case 'PriceListPriceBelowCostApproved': {
      if (state.status === 'none') return state;
      const { priceListId: _, approvedOn: _on, ...approval } = event.data;
      return { ...state, belowCostApprovals: withEntry(state.belowCostApprovals ?? {}, approval.productId, approval) };
    }
    case 'PriceListClosed':
      return state.status === 'none' ? state : { ...state, status: 'closed', closedOn: event.data.closedOn };
    default:
      return assertNever(event);
  }
};

export const priceListDecider: Decider<PriceListState, PriceListCommand, PriceListEvent> = {
  decide: decidePriceList,
  evolve: evolvePriceList,
  initialState: () => ({ status: 'none' }),
};

/** The view `resolvePrice` consumes, from the decider state (null before creation). */
export const priceListView = (state: PriceListState): PriceListView | null => {
  if (state.status === 'none') return null;
  const { priceListId, scope, validFrom, validTo, closedOn, items, belowCostApprovals } = state;
  return { priceListId, scope, validFrom, validTo, closedOn, items, belowCostApprovals: belowCostApprovals ?? {} };
};

/** A published price below the product's current standard cost. `flagged`: no admin approval covers it at today's cost. */
export type BelowCostPrice = {
  productId: string;
  lowestUnitPrice: number;
  standardCost: number;
  approvedBy: string | null;
  approvedAtCost: number | null;
  flagged: boolean;
};

/**
 * The list's prices below cost at the current standard costs (ADR 0112): a cost change can leave
 * approved-for-less or never-checked prices under cost; those are flagged, and an order or quote
 * resolved from one is held for approval like an override.
 */
export const belowCostPrices = (list: PriceListView, standardCosts: Readonly<Record<string, number>>): BelowCostPrice[] =>
  list.items.flatMap((item) => {
    const standardCost = standardCosts[item.productId];
    if (standardCost === undefined) return [];
    const lowestUnitPrice = Math.min(...item.breaks.map((b) => b.unitPrice));
    if (lowestUnitPrice >= standardCost) return [];
    const approval = list.belowCostApprovals?.[item.productId] ?? null;
    const covered = approval !== null && approval.standardCost >= standardCost && lowestUnitPrice >= approval.lowestUnitPrice;
    return [
      {
        productId: item.productId,
        lowestUnitPrice,
        standardCost,
        approvedBy: approval?.approvedBy ?? null,
        approvedAtCost: approval?.standardCost ?? null,
        flagged: !covered,
      },
    ];
  });
