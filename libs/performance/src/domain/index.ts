/** Conduct and appraisal, the pure domain (ADR 0300–0309): no framework, no I/O. Other contexts import this entry. */
export type { EmployeeFact } from './guards';
export { type AppraisalKind, type AppraisalPeriod, parseAppraisalPeriod, requireAppraisalPeriod } from './period';
export * from './performance-policy';
export * from './service-feedback';
export * from './meeting';
export * from './violation';
export * from './discipline-policy';
export * from './discipline-evaluator';
export * from './disciplinary-case';
export * from './appraisal-scoring';
export * from './appraisal-scheme';
export * from './appraisal';
export * from './improvement-plan';
export * from './appraisal-inputs';
