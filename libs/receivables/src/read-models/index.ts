import { AnyProjection } from '@salesline/core';

/** The receivables read models. */
export const receivablesProjections: AnyProjection[] = [];
