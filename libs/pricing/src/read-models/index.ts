import { AnyProjection } from '@salesline/core';
import { priceListsProjection } from './price-lists.projection';
import { productsProjection } from './products.projection';

export * from './products.projection';
export * from './price-lists.projection';

/** The pricing read models: this context's one registration, run by every deployment (`@salesline/composition`). */
export const pricingProjections: AnyProjection[] = [productsProjection, priceListsProjection];
