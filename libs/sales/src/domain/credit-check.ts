/** The credit check policy lives with the customer account (receivables); re-exported for sales readers. */
export { computeExposure, creditDecision } from '@salesline/receivables/domain';
export type { CreditDecision, CreditFacts, CreditHoldReason, ExposureInput } from '@salesline/receivables/domain';
