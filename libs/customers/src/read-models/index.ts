import { AnyProjection } from '@salesline/core';
import { customersProjection } from './customers.projection';

/** The customers read models: this context's one registration, run by every deployment (`@salesline/composition`). */
export const customersProjections: AnyProjection[] = [customersProjection];

export * from './customers.projection';
