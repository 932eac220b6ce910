/**
 * The event catalog's source: every event type the code appends, as the deciders declare it.
 * `npm run catalog:generate` turns these TypeScript types into JSON Schemas (ts-json-schema-generator);
 * a test fails when the generated file is stale or an appended type is missing here.
 */
import type { DomainEvent } from '@salesline/shared-kernel';
import type { EventMetadata } from '../../../core/src/event-store/event-store.port';
import type { UserAccessEvent } from '../../../core/src/auth/user-access.decider';
import type { CustomerEvent } from '../../../customers/src/domain/customer';
import type { ProductEvent } from '../../../pricing/src/domain/product';
import type { PriceListEvent } from '../../../pricing/src/domain/price-list';
import type { SkuReserved } from '../../../pricing/src/application/sku-reservation';
import type { QuoteEvent } from '../../../sales/src/domain/quote';
import type { OrderEvent } from '../../../sales/src/domain/order';
import type { SalesSettings } from '../../../sales/src/domain/settings';
import type { BillOfLadingReserved } from '../../../sales/src/application/bill-of-lading-registry';
import type { AccountEvent } from '../../../receivables/src/domain/account';
import type { EmployeeEvent } from '../../../organization/src/domain/employee';
import type { RegionEvent } from '../../../organization/src/domain/region';
import type { TeamEvent } from '../../../organization/src/domain/team';
import type { TerritoryObjectionEvent } from '../../../organization/src/domain/territory-objection';
import type { VisitEvent } from '../../../organization/src/domain/visits';
import type { OrganizationSettings } from '../../../organization/src/domain/organization-settings';
import type { TargetPlanEvent } from '../../../targets/src/domain/target-plan';
import type { SalesPlanEvent } from '../../../targets/src/domain/sales-plan';
import type { SalesExpenseEvent } from '../../../targets/src/domain/sales-expense';
import type { TargetsSettings } from '../../../targets/src/domain/targets-settings';
import type { AppraisalSchemeEvent } from '../../../performance/src/domain/appraisal-scheme';
import type { AppraisalEvent } from '../../../performance/src/domain/appraisal';
import type { DisciplinaryCaseEvent } from '../../../performance/src/domain/disciplinary-case';
import type { DisciplinePolicyEvent } from '../../../performance/src/domain/discipline-policy';
import type { ImprovementPlanEvent } from '../../../performance/src/domain/improvement-plan';
import type { MeetingEvent } from '../../../performance/src/domain/meeting';
import type { ServiceFeedbackEvent } from '../../../performance/src/domain/service-feedback';
import type { ViolationEvent } from '../../../performance/src/domain/violation';
import type { WebhookEvent } from '../domain/webhook';
import type { AuditViewRead } from '../domain/audit-read';

/** Versioned settings events carry the whole settings object of their group. */
type SettingsChangedEvent<Type extends string, Settings> = DomainEvent<Type, { settings: Settings; version: number }>;

/** Every event type, by the stream category it is appended to (`<category>-<id>`; settings streams have fixed names). */
export type CatalogByCategory = {
  user: UserAccessEvent;
  customer: CustomerEvent;
  product: ProductEvent;
  'price-list': PriceListEvent;
  'product-sku': SkuReserved;
  quote: QuoteEvent;
  order: OrderEvent;
  'bill-of-lading': BillOfLadingReserved;
  'settings-sales': SettingsChangedEvent<'SalesSettingsChanged', SalesSettings>;
  account: AccountEvent;
  employee: EmployeeEvent;
  region: RegionEvent;
  team: TeamEvent;
  'territory-objection': TerritoryObjectionEvent;
  'employee-visits': VisitEvent;
  'settings-organization': SettingsChangedEvent<'OrganizationSettingsChanged', OrganizationSettings>;
  'target-plan': TargetPlanEvent;
  'sales-plan': SalesPlanEvent;
  'sales-expenses': SalesExpenseEvent;
  'settings-targets': SettingsChangedEvent<'TargetsSettingsChanged', TargetsSettings>;
  'appraisal-scheme': AppraisalSchemeEvent;
  appraisal: AppraisalEvent;
  'disciplinary-case': DisciplinaryCaseEvent;
  'discipline-policy': DisciplinePolicyEvent;
  'improvement-plan': ImprovementPlanEvent;
  meeting: MeetingEvent;
  'service-feedback': ServiceFeedbackEvent;
  'employee-violations': ViolationEvent;
  webhook: WebhookEvent;
  'audit-reads': AuditViewRead;
};

export type CatalogedMetadata = EventMetadata;
