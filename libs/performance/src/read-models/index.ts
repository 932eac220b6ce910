import { AnyProjection } from '@salesline/core';
import { appraisalScoresProjection, disciplinaryCasesProjection, improvementPlansProjection } from './performance.projections';
import { meetingsProjection, serviceFeedbackProjection, violationsProjection } from './performance.projections';

/** The conduct and appraisal read models: this context's one registration, run by every deployment (`@salesline/composition`). */
export const performanceProjections: AnyProjection[] = [
  meetingsProjection,
  serviceFeedbackProjection,
  violationsProjection,
  disciplinaryCasesProjection,
  improvementPlansProjection,
  appraisalScoresProjection,
];

export * from './performance.projections';
