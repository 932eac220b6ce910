import type { AuditLinksDoc, TimelineEntryDoc, WebhookDoc } from '@salesline/audit';
import type { CustomerDoc } from '@salesline/customers';
import type { CustomerVisitDoc, EmployeeDoc, RegionDoc, TeamDoc, TerritoryObjectionDoc } from '@salesline/organization';
import type { AppraisalScoreDoc, DisciplinaryCaseDoc, ImprovementPlanDoc } from '@salesline/performance';
import type { MeetingDoc, ServiceFeedbackDoc, ViolationDoc } from '@salesline/performance';
import type { PriceListDoc, ProductDoc } from '@salesline/pricing';
import type { CreditReservationDoc, InvoiceAccountDoc, ReceivablesAccountDoc } from '@salesline/receivables';
import type { ReceivablesInvoiceDoc, ReceivablesSourceDoc, ReservationTotalsDoc } from '@salesline/receivables';
import type { AgingRollupDoc } from '@salesline/receivables';
import type { BacklogLineDoc, DocumentIndexEntry, OrderBoardDoc, QuoteDoc } from '@salesline/sales';
import type { CreditedShareDoc, InvoiceCollectionsDoc, OrderFactsDoc, QuoteFactsDoc, RollupSourceDoc } from '@salesline/targets';
import type { SalesExpenseDoc, SalesPlanDoc, SalesProgressRollupDoc, TargetPlanDoc } from '@salesline/targets';

/**
 * The document type of every read model, by collection: what docs/read-models.md lists field by
 * field (generated from these types with ts-json-schema-generator, so the list cannot drift).
 */
export type ReadModelDocuments = {
  customers: CustomerDoc;
  products: ProductDoc;
  price_lists: PriceListDoc;
  order_board: OrderBoardDoc;
  backlog: BacklogLineDoc;
  document_index: DocumentIndexEntry;
  quotes: QuoteDoc;
  receivables_ledger:
    ReceivablesAccountDoc | ReceivablesInvoiceDoc | ReceivablesSourceDoc | CreditReservationDoc | ReservationTotalsDoc | AgingRollupDoc;
  invoice_accounts: InvoiceAccountDoc;
  org_regions: RegionDoc;
  org_teams: TeamDoc;
  org_employees: EmployeeDoc;
  org_territory_objections: TerritoryObjectionDoc;
  org_customer_visits: CustomerVisitDoc;
  target_plans: TargetPlanDoc;
  sales_expenses: SalesExpenseDoc;
  sales_plans: SalesPlanDoc;
  sales_progress_orders: OrderFactsDoc;
  sales_progress_collections: InvoiceCollectionsDoc;
  sales_progress_rollups: RollupSourceDoc | SalesProgressRollupDoc | CreditedShareDoc;
  sales_progress_quotes: QuoteFactsDoc;
  perf_meetings: MeetingDoc;
  perf_service_feedback: ServiceFeedbackDoc;
  perf_violations: ViolationDoc;
  perf_disciplinary_cases: DisciplinaryCaseDoc;
  perf_improvement_plans: ImprovementPlanDoc;
  appraisal_scores: AppraisalScoreDoc;
  audit_timeline: TimelineEntryDoc;
  audit_links: AuditLinksDoc;
  webhooks: WebhookDoc;
};
