import { AnyProjection } from '@salesline/core';
import {
  customerVisitsProjection,
  employeesProjection,
  regionsProjection,
  teamsProjection,
  territoryObjectionsProjection,
} from './organization.projections';

/** The organization read models. */
export const organizationProjections: AnyProjection[] = [
  regionsProjection,
  teamsProjection,
  employeesProjection,
  territoryObjectionsProjection,
  customerVisitsProjection,
];

export * from './organization.projections';
export * from './state-projection';
