import { AnyProjection } from '@salesline/core';
import { salesProgressQuotesProjection } from './quote-facts.projection';
import { salesProgressCollectionsProjection, salesProgressOrdersProjection } from './sales-facts.projection';
import { salesProgressRollupsProjection } from './sales-progress-rollups.projection';
import { salesExpensesProjection, salesPlansProjection, targetPlansProjection } from './targets.projections';

/** The targets and sales-progress read models: this context's one registration, run by every deployment (`@salesline/composition`). */
export const targetsProjections: AnyProjection[] = [
  targetPlansProjection,
  salesExpensesProjection,
  salesPlansProjection,
  salesProgressOrdersProjection,
  salesProgressCollectionsProjection,
  salesProgressQuotesProjection,
  salesProgressRollupsProjection,
];

export * from './targets.projections';
export * from './sales-facts.projection';
export * from './quote-facts.projection';
export * from './sales-progress-rollups.projection';
