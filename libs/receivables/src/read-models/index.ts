import { AnyProjection } from '@salesline/core';
import { invoiceAccountsProjection } from './invoice-accounts.projection';
import { receivablesProjection } from './receivables.projection';

/** The receivables read models: this context's one registration, run by every deployment (`@salesline/composition`). */
export const receivablesProjections: AnyProjection[] = [receivablesProjection, invoiceAccountsProjection];

export * from './receivables.projection';
export * from './invoice-accounts.projection';
export * from './receivables-report';
export * from './receivables-aging';
