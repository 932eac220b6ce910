import { AnyProjection } from '@salesline/core';

/** The pricing read models (products, price lists). */
export const pricingProjections: AnyProjection[] = [];
