export * from './domain/assignment-history';
export * from './domain/organization-policy';
export * from './domain/organization-settings';
export * from './domain/region';
export * from './domain/team';
export * from './domain/employee';
export * from './domain/territory-escalation-policy';
export * from './domain/territory-objection';
