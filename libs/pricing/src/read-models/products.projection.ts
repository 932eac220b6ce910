import { Projection, RecordedEvent } from '@salesline/core';
import { assertNever } from '@salesline/shared-kernel';
import { ProductEvent } from '../domain/product';

/** The product catalogue as salespeople browse it: one document per product. */
export type ProductDoc = {
  id: string;
  sku: string;
  name: string;
  unit: string;
  listPrice: number;
  standardCost: number;
  status: 'active' | 'discontinued';
  discontinuedOn: string | null;
  discontinuedReason: string | null;
  registeredOn: string;
  updatedAt: string;
  version: number;
};

/** Every product event type, checked complete by the compiler. */
const HANDLED: Record<ProductEvent['type'], true> = {
  ProductRegistered: true,
  ProductPriceChanged: true,
  ProductCostChanged: true,
  ProductDiscontinued: true,
};

export const evolveProductDoc = (doc: ProductDoc | null, recorded: RecordedEvent): ProductDoc | null => {
  const event = { type: recorded.type, data: recorded.data } as ProductEvent;
  const touched = { updatedAt: recorded.metadata.occurredAt, version: recorded.revision };
  if (event.type === 'ProductRegistered') {
    const { productId, ...product } = event.data;
    return { id: productId, ...product, status: 'active', discontinuedOn: null, discontinuedReason: null, ...touched };
  }
  if (!doc) return null;
  switch (event.type) {
    case 'ProductPriceChanged':
      return { ...doc, listPrice: event.data.listPrice, ...touched };
    case 'ProductCostChanged':
      return { ...doc, standardCost: event.data.standardCost, ...touched };
    case 'ProductDiscontinued':
      return {
        ...doc,
        status: 'discontinued',
        discontinuedOn: event.data.discontinuedOn,
        discontinuedReason: event.data.reason,
        ...touched,
      };
    default:
      return assertNever(event);
  }
};

export const productsProjection: Projection<ProductDoc> = {
  name: 'products',
  collection: 'products',
  handles: Object.keys(HANDLED),
  indexes: [{ fields: ['sku'] }, { fields: ['status'] }],
  documentIds: (event) => [(event.data as { productId: string }).productId],
  evolve: evolveProductDoc,
};
