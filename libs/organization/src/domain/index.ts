/** The organization domain: pure deciders and rules, no framework, no I/O. Other contexts import this entry. */
export * from './assignment-history';
export * from './organization-policy';
export * from './organization-settings';
export * from './region';
export * from './team';
export * from './employee';
export * from './territory-escalation-policy';
export * from './territory-objection';
export * from './visits';
