import { AnyProjection } from '@salesline/core';

/** The organization read models. */
export const organizationProjections: AnyProjection[] = [];
