import { defineProjection, Recorded, writtenBy } from '@salesline/core';
import { assertNever, everyEventType } from '@salesline/shared-kernel';
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
const HANDLED = everyEventType<ProductEvent>()(['ProductRegistered', 'ProductPriceChanged', 'ProductCostChanged', 'ProductDiscontinued']);

export const evolveProductDoc = (doc: ProductDoc | null, event: Recorded<ProductEvent>): ProductDoc | null => {
  const touched = { updatedAt: event.metadata.occurredAt, version: event.revision };
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

export const productsProjection = defineProjection<ProductEvent>()({
  name: 'products',
  collection: 'products',
  documentation: {
    document: 'ProductDoc',
    context: 'pricing',
    summary: 'One document per product: SKU, list price, standard cost, status. Serves `GET /api/products`.',
    meanings: {
      id: 'The product id.',
      sku: 'Stock-keeping unit, unique across products.',
      name: 'Product name.',
      unit: 'Unit of measure quantities are counted in.',
      listPrice: 'List price per unit, minor units (the fallback when no price list applies).',
      standardCost: 'Standard cost per unit, minor units: the floor below which a price needs approval (ADR 0112).',
      status: '`discontinued` products cannot be quoted or ordered.',
      discontinuedOn: 'Business date of discontinuation (null while active).',
      discontinuedReason: 'Why it was discontinued.',
      registeredOn: 'Business date of registration.',
      updatedAt: 'Wall-clock time (occurredAt) of the last event applied.',
      version: 'Stream revision of the last event applied (0 for the first).',
    },
    sources: {
      ...writtenBy(['ProductRegistered'], ['id', 'sku', 'name', 'unit', 'registeredOn']),
      listPrice: ['ProductRegistered', 'ProductPriceChanged'],
      standardCost: ['ProductRegistered', 'ProductCostChanged'],
      ...writtenBy(['ProductRegistered', 'ProductDiscontinued'], ['status', 'discontinuedOn', 'discontinuedReason']),
      ...writtenBy(['ProductRegistered', 'ProductPriceChanged', 'ProductCostChanged', 'ProductDiscontinued'], ['updatedAt', 'version']),
    },
  },
  handles: HANDLED,
  indexes: [{ fields: ['sku'] }, { fields: ['status'] }],
  documentIds: (event) => [event.data.productId],
  evolve: evolveProductDoc,
});
