import { AnyProjection } from '@salesline/core';
import { customerVisitsProjection, employeesProjection, regionsProjection } from './organization.projections';
import { teamsProjection, territoryObjectionsProjection } from './organization.projections';

/** The organization read models: this context's one registration, run by every deployment (`@salesline/composition`). */
export const organizationProjections: AnyProjection[] = [
  regionsProjection,
  teamsProjection,
  employeesProjection,
  territoryObjectionsProjection,
  customerVisitsProjection,
];

export * from './organization.projections';
