import { AnyProjection, settingsUpcasters, Upcaster } from '@salesline/core';
import { AuditModule, auditProjections } from '@salesline/audit';
import { customerUpcasters, CustomersModule, customersProjections } from '@salesline/customers';
import { PricingModule, pricingProjections, pricingUpcasters } from '@salesline/pricing';
import { QuotesModule, SALES_SETTINGS, SalesModule, SalesReadModelsModule, salesProjections } from '@salesline/sales';
import { ORGANIZATION_SETTINGS, OrganizationModule, organizationProjections } from '@salesline/organization';
import { TARGETS_SETTINGS, TargetsModule, targetsProjections, targetsUpcasters } from '@salesline/targets';
import { PerformanceModule, performanceProjections, performanceUpcasters } from '@salesline/performance';
import { ReceivablesModule, ReceivablesReadModelsModule, receivablesProjections } from '@salesline/receivables';

/** The bounded contexts this deployment serves, and the read models they project: one list for the API (apps/api) and the projector (apps/projector). */
export const contextModules = [
  CustomersModule,
  PricingModule,
  SalesModule,
  QuotesModule,
  SalesReadModelsModule,
  ReceivablesModule,
  ReceivablesReadModelsModule,
  OrganizationModule,
  TargetsModule,
  PerformanceModule,
  AuditModule,
];

/** Each context registers its read models in one place, its `read-models/index.ts`; this list only names the contexts. */
export const allProjections: AnyProjection[] = [
  ...customersProjections,
  ...pricingProjections,
  ...salesProjections,
  ...receivablesProjections,
  ...organizationProjections,
  ...targetsProjections,
  ...performanceProjections,
  ...auditProjections,
];

/** Upcasters of every stored event shape the current code no longer writes (run on every read path). */
export const allUpcasters: Upcaster[] = [
  ...settingsUpcasters(SALES_SETTINGS),
  ...settingsUpcasters(ORGANIZATION_SETTINGS),
  ...settingsUpcasters(TARGETS_SETTINGS),
  ...customerUpcasters,
  ...performanceUpcasters,
  ...targetsUpcasters,
  ...pricingUpcasters,
];
