import { assertNever, Command, compareDates, conflict, Decider, DomainEvent, notFound, ruleViolation } from '@salesline/shared-kernel';
import { requireAmount, requireDate, requireId, requireRole, requireText, requireUnique } from '@salesline/shared-kernel';

/** A customer- or group-specific price list with quantity breaks. Stream: `price-list-<priceListId>`. */
export const priceListStream = (priceListId: string) => `price-list-${priceListId}`;

export type PriceListScope = { kind: 'customer'; customerId: string } | { kind: 'group'; customerGroup: string };
export type PriceBreak = { minQuantity: number; unitPrice: number };
export type PriceListItem = { productId: string; breaks: PriceBreak[] };

/** What `resolvePrice` needs to know of a list (the read side builds it from these events). */
export type PriceListView = {
  priceListId: string;
  scope: PriceListScope;
  validFrom: string;
  validTo: string | null;
  /** From this date on the list no longer applies (null: never closed). */
  closedOn: string | null;
  items: PriceListItem[];
};

export type PriceListCreated = DomainEvent<
  'PriceListCreated',
  { priceListId: string; name: string; scope: PriceListScope; validFrom: string; validTo: string | null; items: PriceListItem[] }
>;
export type PriceListItemsChanged = DomainEvent<'PriceListItemsChanged', { priceListId: string; items: PriceListItem[]; changedOn: string }>;
export type PriceListClosed = DomainEvent<'PriceListClosed', { priceListId: string; closedOn: string; reason: string | null }>;
export type PriceListEvent = PriceListCreated | PriceListItemsChanged | PriceListClosed;

export type CreatePriceList = Command<
  'CreatePriceList',
  { priceListId: string; name: string; scope: PriceListScope; validFrom: string; validTo: string | null; items: PriceListItem[] }
>;
export type ChangePriceListItems = Command<'ChangePriceListItems', { items: PriceListItem[] }>;
/** `closedOn` defaults to today; the list applies to dates before it. */
export type ClosePriceList = Command<'ClosePriceList', { closedOn?: string; reason?: string | null }>;
export type PriceListCommand = CreatePriceList | ChangePriceListItems | ClosePriceList;

export type PriceListState = { status: 'none' } | ({ status: 'active'; name: string } & PriceListView) | ({ status: 'closed'; name: string } & PriceListView);

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
        throw ruleViolation('InvalidPriceBreaks', `breaks of ${item.productId} must have strictly increasing integer minQuantity starting at ≥ 1`, {
          productId: item.productId,
        });
      }
      requireAmount(b.unitPrice, 'unitPrice');
      previous = b.minQuantity;
    }
    return { productId: item.productId, breaks: item.breaks.map((b: PriceBreak) => ({ minQuantity: b.minQuantity, unitPrice: b.unitPrice })) };
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
      if (state.status !== 'none') throw conflict('PriceListAlreadyExists', 'price list already exists', { priceListId: state.priceListId });
      const d = command.data;
      const validFrom = requireDate(d.validFrom, 'validFrom');
      const validTo = d.validTo === null || d.validTo === undefined ? null : requireDate(d.validTo, 'validTo');
      if (validTo !== null && compareDates(validTo, validFrom) < 0) {
        throw ruleViolation('InvalidValidityPeriod', 'validTo must not be before validFrom', { validFrom, validTo });
      }
      return [
        {
          type: 'PriceListCreated',
          data: {
            priceListId: requireId(d.priceListId, 'priceListId'),
            name: requireText(d.name, 'name'),
            scope: validateScope(d.scope),
            validFrom,
            validTo,
            items: validatePriceListItems(d.items),
          },
        },
      ];
    }
    case 'ChangePriceListItems': {
      const s = existing(state);
      if (s.status === 'closed') throw conflict('PriceListClosed', 'price list is closed', { priceListId: s.priceListId });
      return [{ type: 'PriceListItemsChanged', data: { priceListId: s.priceListId, items: validatePriceListItems(command.data.items), changedOn: today } }];
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

export const evolvePriceList = (state: PriceListState, event: PriceListEvent): PriceListState => {
  switch (event.type) {
    case 'PriceListCreated':
      return { status: 'active', ...event.data, closedOn: null };
    case 'PriceListItemsChanged':
      return state.status === 'none' ? state : { ...state, items: event.data.items };
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
  const { priceListId, scope, validFrom, validTo, closedOn, items } = state;
  return { priceListId, scope, validFrom, validTo, closedOn, items };
};
