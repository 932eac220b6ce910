import { AnyProjection } from '@salesline/core';

/** The targets and sales-progress read models. */
export const targetsProjections: AnyProjection[] = [];
