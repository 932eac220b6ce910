/** The targets domain: pure deciders and rules, no framework, no I/O. Other contexts import this entry. */
export * from './period';
export * from './target-measures';
export * from './monthly-distribution';
export * from './target-cascade';
export * from './target-planning-policy';
export * from './targets-settings';
export * from './target-plan';
export * from './sales-expense';
export * from './sales-plan';
export * from './credit-split';
export * from './sales-progress';
