/** Conduct and appraisal: the pure domain (ADR 0300–0309). */
export type { EmployeeFact } from './domain/guards';
export { type AppraisalKind, type AppraisalPeriod, parseAppraisalPeriod, requireAppraisalPeriod } from './domain/period';
export * from './domain/performance-policy';
export * from './domain/service-feedback';
export * from './domain/meeting';
export * from './domain/violation';
export * from './domain/discipline-policy';
export * from './domain/discipline-evaluator';
export * from './domain/disciplinary-case';
export * from './domain/appraisal-scoring';
export * from './domain/appraisal-scheme';
export * from './domain/appraisal';
export * from './domain/improvement-plan';
export * from './domain/appraisal-inputs';
// Application, read models and HTTP (ADR 0310).
export * from './read-models';
export * from './application/performance-commands';
export * from './application/performance-upcasters';
export * from './application/performance-facts';
export * from './application/appraisal-measurement';
export * from './application/appraisal-runner';
export * from './application/appraisal-reports';
export * from './performance.module';
