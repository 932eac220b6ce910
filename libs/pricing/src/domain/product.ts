import { assertNever, Command, conflict, Decider, DomainEvent, notFound } from '@salesline/shared-kernel';
import { requireAmount, requireDate, requireId, requireRole, requireText } from '@salesline/shared-kernel';

/** Product catalogue entry. Stream: `product-<productId>`. SKU uniqueness is the app's (reservation stream). */
export const productStream = (productId: string) => `product-${productId}`;

export type ProductRegistered = DomainEvent<
  'ProductRegistered',
  { productId: string; sku: string; name: string; unit: string; listPrice: number; standardCost: number; registeredOn: string }
>;
export type ProductPriceChanged = DomainEvent<
  'ProductPriceChanged',
  { productId: string; listPrice: number; previousListPrice: number; changedOn: string }
>;
export type ProductCostChanged = DomainEvent<
  'ProductCostChanged',
  { productId: string; standardCost: number; previousStandardCost: number; changedOn: string }
>;
export type ProductDiscontinued = DomainEvent<'ProductDiscontinued', { productId: string; reason: string | null; discontinuedOn: string }>;
export type ProductEvent = ProductRegistered | ProductPriceChanged | ProductCostChanged | ProductDiscontinued;

/** Each command takes the business date of the fact (default today), so history can be entered as it happened. */
export type RegisterProduct = Command<
  'RegisterProduct',
  { productId: string; sku: string; name: string; unit: string; listPrice: number; standardCost: number; registeredOn?: string }
>;
export type ChangeProductPrice = Command<'ChangeProductPrice', { listPrice: number; changedOn?: string }>;
export type ChangeProductCost = Command<'ChangeProductCost', { standardCost: number; changedOn?: string }>;
export type DiscontinueProduct = Command<'DiscontinueProduct', { reason?: string | null; discontinuedOn?: string }>;
export type ProductCommand = RegisterProduct | ChangeProductPrice | ChangeProductCost | DiscontinueProduct;

type ProductData = { productId: string; sku: string; name: string; unit: string; listPrice: number; standardCost: number };
export type ProductState =
  { status: 'unregistered' } | ({ status: 'active' } & ProductData) | ({ status: 'discontinued'; discontinuedOn: string } & ProductData);

const existing = (state: ProductState) => {
  if (state.status === 'unregistered') throw notFound('ProductNotFound', 'product is not registered');
  return state;
};
const active = (state: ProductState) => {
  const s = existing(state);
  if (s.status === 'discontinued') throw conflict('ProductDiscontinued', 'product is discontinued', { productId: s.productId });
  return s;
};

export const decideProduct = (command: ProductCommand, state: ProductState): ProductEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'RegisterProduct': {
      requireRole(actor, 'ProductManagementForbidden', 'sales_manager');
      if (state.status !== 'unregistered')
        throw conflict('ProductAlreadyRegistered', 'product already registered', { productId: state.productId });
      const d = command.data;
      return [
        {
          type: 'ProductRegistered',
          data: {
            productId: requireId(d.productId, 'productId'),
            sku: requireText(d.sku, 'sku', 'InvalidSku'),
            name: requireText(d.name, 'name'),
            unit: requireText(d.unit, 'unit'),
            listPrice: requireAmount(d.listPrice, 'listPrice', true),
            standardCost: requireAmount(d.standardCost, 'standardCost', true),
            registeredOn: requireDate(d.registeredOn ?? today, 'registeredOn'),
          },
        },
      ];
    }
    case 'ChangeProductPrice': {
      requireRole(actor, 'ProductManagementForbidden', 'sales_manager');
      const s = active(state);
      const listPrice = requireAmount(command.data.listPrice, 'listPrice', true);
      if (listPrice === s.listPrice) return [];
      return [
        {
          type: 'ProductPriceChanged',
          data: {
            productId: s.productId,
            listPrice,
            previousListPrice: s.listPrice,
            changedOn: requireDate(command.data.changedOn ?? today, 'changedOn'),
          },
        },
      ];
    }
    case 'ChangeProductCost': {
      requireRole(actor, 'ProductManagementForbidden', 'finance', 'sales_manager');
      const s = active(state);
      const standardCost = requireAmount(command.data.standardCost, 'standardCost', true);
      if (standardCost === s.standardCost) return [];
      return [
        {
          type: 'ProductCostChanged',
          data: {
            productId: s.productId,
            standardCost,
            previousStandardCost: s.standardCost,
            changedOn: requireDate(command.data.changedOn ?? today, 'changedOn'),
          },
        },
      ];
    }
    case 'DiscontinueProduct': {
      requireRole(actor, 'ProductManagementForbidden', 'sales_manager');
      const s = existing(state);
      if (s.status === 'discontinued') return [];
      return [
        {
          type: 'ProductDiscontinued',
          data: {
            productId: s.productId,
            reason: command.data.reason ?? null,
            discontinuedOn: requireDate(command.data.discontinuedOn ?? today, 'discontinuedOn'),
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

export const evolveProduct = (state: ProductState, event: ProductEvent): ProductState => {
  switch (event.type) {
    case 'ProductRegistered': {
      const { registeredOn: _, ...data } = event.data;
      return { status: 'active', ...data };
    }
    case 'ProductPriceChanged':
      return state.status === 'unregistered' ? state : { ...state, listPrice: event.data.listPrice };
    case 'ProductCostChanged':
      return state.status === 'unregistered' ? state : { ...state, standardCost: event.data.standardCost };
    case 'ProductDiscontinued':
      return state.status === 'unregistered' ? state : { ...state, status: 'discontinued', discontinuedOn: event.data.discontinuedOn };
    default:
      return assertNever(event);
  }
};

export const productDecider: Decider<ProductState, ProductCommand, ProductEvent> = {
  decide: decideProduct,
  evolve: evolveProduct,
  initialState: () => ({ status: 'unregistered' }),
};
