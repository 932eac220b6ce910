import { NamedUnit, Permission, PermissionPolicy, PermissionTable, OwnedObject, READERS, ReadStore } from '@salesline/core';
import { customersProjection } from '@salesline/customers';
import { employeesProjection, regionsProjection, teamsProjection, territoryObjectionsProjection } from '@salesline/organization';
import { appraisalScoresProjection, disciplinaryCasesProjection, improvementPlansProjection } from '@salesline/performance';
import { meetingsProjection } from '@salesline/performance';
import { invoiceAccountsProjection } from '@salesline/receivables';
import { documentIndexId, documentIndexProjection, orderBoardProjection, quotesProjection } from '@salesline/sales';
import { salesExpensesProjection, salesPlansProjection } from '@salesline/targets';
import { Role, ROLES } from '@salesline/shared-kernel';

/**
 * Who may call what: every operation of the API (by OpenAPI operationId) with the roles that may
 * call it and, where an object belongs to a salesperson, its scope. The one PermissionGuard
 * enforces this table; docs/security.md is generated from it (`npm run security:matrix`) and the
 * authorization e2e suite walks it over HTTP. Admin passes every role check.
 *
 * Scope: a salesperson reaches only their own customers, quotes and orders (and may not act in a
 * colleague's name); a sales manager reads and changes those of the salespeople they lead (team or
 * region), with their receivables and sales progress, records their conduct, runs their appraisals and
 * plans their targets; every other role reaches everything its roles allow (ADR 0019).
 */
const ALL: Role[] = ROLES.filter((r) => r !== 'admin');
const ADMIN_ONLY: Role[] = [];

const owned =
  (projection: { name: string; collection: string }, owners: OwnedObject['owners']) =>
  (from: OwnedObject['from']): OwnedObject => ({
    from,
    projection: projection.name,
    collection: projection.collection,
    owners,
  });
const strings = (values: unknown[]): string[] => values.filter((v): v is string => typeof v === 'string');
const customer = owned(customersProjection, (doc) => strings([doc.ownerId]));
const quote = owned(quotesProjection, (doc) => strings([doc.salespersonId]));
const order = owned(orderBoardProjection, (doc) =>
  strings([
    doc.salespersonId,
    ...(Array.isArray(doc.salesCredit) ? doc.salesCredit.map((c: { salespersonId?: unknown }) => c?.salespersonId) : []),
  ]),
);
/**
 * A return, a price override or an invoice belongs to its order's salespeople: the index the handler finds its
 * stream by (document_index; invoice_accounts for an invoice, as the receivables account does) names the order.
 */
const viaOrder =
  (kind: 'return' | 'override') =>
  (from: OwnedObject['from']): OwnedObject => ({
    ...order(from),
    via: {
      projection: documentIndexProjection.name,
      collection: documentIndexProjection.collection,
      key: (id) => documentIndexId(kind, id),
      parent: (doc) => doc.orderId,
    },
  });
const orderReturn = viaOrder('return');
const override = viaOrder('override');
const invoice = (from: OwnedObject['from']): OwnedObject => ({
  ...order(from),
  via: {
    projection: invoiceAccountsProjection.name,
    collection: invoiceAccountsProjection.collection,
    key: (id) => id,
    parent: (doc) => doc.orderId,
  },
});
/** An appraisal and an improvement plan belong to the salesperson appraised. */
const appraisal = owned(appraisalScoresProjection, (doc) => strings([doc.employeeId]));
const improvementPlan = owned(improvementPlansProjection, (doc) => strings([doc.employeeId]));
/** A disciplinary case belongs to the salesperson it is about. */
const disciplinaryCase = owned(disciplinaryCasesProjection, (doc) => strings([doc.employeeId]));
/** A meeting concerns its attendees: a sales manager acts on it only when they lead every one of them. */
const meeting = (from: OwnedObject['from']): OwnedObject => ({
  ...owned(meetingsProjection, (doc) => strings(Array.isArray(doc.attendees) ? doc.attendees : []))(from),
  every: true,
});
/** A meeting is read by a sales manager who leads one of its attendees. */
const meetingAttended = owned(meetingsProjection, (doc) => strings(Array.isArray(doc.attendees) ? doc.attendees : []));
/** A sales plan and a territory objection belong to the salesperson who submitted or raised it. */
const salesPlan = owned(salesPlansProjection, (doc) => strings([doc.employeeId]));
const objection = owned(territoryObjectionsProjection, (doc) => strings([doc.employeeId]));
/** A sales expense belongs to the salesperson who spent it, or, without one, to its region. */
const expense = (from: OwnedObject['from']): OwnedObject => ({
  ...owned(salesExpensesProjection, (doc) => strings([doc.employeeId]))(from),
  units: (doc) => (doc.employeeId ? [] : [{ level: 'region', id: doc.regionId }]),
});
/** The units a request names: a region or team by path parameter or body field. */
const region =
  (id: (body: Record<string, unknown>, params: Record<string, string | undefined>) => unknown) =>
  (body: Record<string, unknown>, params: Record<string, string | undefined>): NamedUnit[] => [{ level: 'region', id: id(body, params) }];
const team =
  (id: (body: Record<string, unknown>, params: Record<string, string | undefined>) => unknown) =>
  (body: Record<string, unknown>, params: Record<string, string | undefined>): NamedUnit[] => [{ level: 'team', id: id(body, params) }];
/**
 * A target's node (region, team or salesperson); a revision names one per change. The company node names nobody:
 * any planner sets it, as they finalize the plan, and the cascade rules bound what is below it (ADR 0203).
 */
const targetNode = (body: Record<string, unknown>): NamedUnit[] =>
  body.nodeKind === 'company' ? [] : [{ level: body.nodeKind, id: body.nodeId }];
const revisedNodes = (body: Record<string, unknown>): NamedUnit[] =>
  Array.isArray(body.changes)
    ? body.changes.flatMap((c) => (c && typeof c === 'object' ? targetNode(c as Record<string, unknown>) : []))
    : [];
/** The salesperson a conduct fact or an attendance names. */
const employeeNamed = (body: Record<string, unknown>): unknown[] => [body.employeeId];
/** An order is placed in the name of the salespeople it credits. */
const creditedSalespeople = (body: Record<string, unknown>): unknown[] => [
  body.salespersonId,
  ...(Array.isArray(body.salesCredit)
    ? body.salesCredit.map((c) => (c && typeof c === 'object' ? (c as Record<string, unknown>).salespersonId : undefined))
    : []),
];

export const permissionTable: PermissionTable = {
  AuditTimelinesController_order: { roles: ['auditor'] }, // GET /api/audit/orders/:id
  AuditTimelinesController_customer: { roles: ['auditor'] }, // GET /api/audit/customers/:id
  AuditTimelinesController_employee: { roles: ['auditor'] }, // GET /api/audit/employees/:id
  AuditTimelinesController_product: { roles: ['auditor'] }, // GET /api/audit/products/:id
  AuditTimelinesController_quote: { roles: ['auditor'] }, // GET /api/audit/quotes/:id
  AuditTimelinesController_return: { roles: ['auditor'] }, // GET /api/audit/returns/:id
  IntegrityController_verify: { roles: ['auditor'] }, // GET /api/audit/verify
  FeedController_page: { roles: ['integration'] }, // GET /api/events
  FeedController_subscribe: { roles: ['integration'] }, // GET /api/events/subscribe
  WebhooksController_register: { roles: ADMIN_ONLY }, // POST /api/webhooks
  WebhooksController_list: { roles: ADMIN_ONLY }, // GET /api/webhooks
  WebhooksController_get: { roles: ADMIN_ONLY }, // GET /api/webhooks/:id
  WebhooksController_deadLetters: { roles: ADMIN_ONLY }, // GET /api/webhooks/:id/dead-letters
  WebhooksController_replay: { roles: ADMIN_ONLY }, // POST /api/webhooks/:id/replay
  StreamsController_read: { roles: ['auditor'] }, // GET /api/streams/:stream
  AuthController_issue: { roles: ADMIN_ONLY }, // POST /api/auth/tokens
  AuthController_me: { roles: ALL }, // GET /api/auth/me
  AuthController_issueApiKey: { roles: ADMIN_ONLY }, // POST /api/auth/api-keys
  AuthController_revoke: { roles: ALL }, // POST /api/auth/tokens/:id/revoke
  AuthController_revokeAll: { roles: ALL }, // POST /api/auth/users/:userId/revoke-all
  AuthController_rotateAdminToken: { roles: ADMIN_ONLY }, // POST /api/auth/admin-token/rotate
  CustomersController_register: { roles: ['salesperson', 'sales_manager', 'finance'], scope: { bodyOwners: (b) => [b.ownerId] } }, // POST /api/customers
  CustomersController_changeDetails: {
    roles: ['salesperson', 'sales_manager', 'finance'],
    scope: { objects: [customer('param:id')], bodyOwners: (b) => [b.ownerId] },
  }, // PATCH /api/customers/:id
  CustomersController_changeCreditLimit: { roles: ['finance', 'sales_manager'], scope: { objects: [customer('param:id')] } }, // POST /api/customers/:id/credit-limit
  CustomersController_block: { roles: ['finance', 'sales_manager'], scope: { objects: [customer('param:id')] } }, // POST /api/customers/:id/block
  CustomersController_unblock: { roles: ['finance', 'sales_manager'], scope: { objects: [customer('param:id')] } }, // POST /api/customers/:id/unblock
  CustomersController_get: { roles: ALL, scope: { objects: [customer('param:id')] } }, // GET /api/customers/:id
  CustomersController_list: { roles: ALL, scope: { list: { param: 'owner', field: 'ownerId' } } }, // GET /api/customers
  ProductsController_register: { roles: ['sales_manager'] }, // POST /api/products
  ProductsController_changeListPrice: { roles: ['sales_manager'] }, // POST /api/products/:id/price
  ProductsController_changeStandardCost: { roles: ['finance', 'sales_manager'] }, // POST /api/products/:id/cost
  ProductsController_discontinue: { roles: ['sales_manager'] }, // POST /api/products/:id/discontinue
  ProductsController_get: { roles: ALL }, // GET /api/products/:id
  ProductsController_list: { roles: ALL }, // GET /api/products
  PriceListsController_create: { roles: ['sales_manager'] }, // POST /api/price-lists
  PriceListsController_changeItems: { roles: ['sales_manager'] }, // POST /api/price-lists/:id/items
  PriceListsController_close: { roles: ['sales_manager'] }, // POST /api/price-lists/:id/close
  PriceListsController_get: { roles: ALL }, // GET /api/price-lists/:id
  PriceListsController_list: { roles: ALL }, // GET /api/price-lists
  PricesController_resolve: { roles: ALL }, // GET /api/prices
  OrdersController_place: {
    roles: ['salesperson', 'sales_manager'],
    scope: { objects: [customer('body:customerId')], bodyOwners: creditedSalespeople },
  }, // POST /api/orders
  OrdersController_releaseCreditHold: { roles: ['finance'] }, // POST /api/orders/:id/release-credit-hold
  OrdersController_deliver: { roles: ['sales_manager', 'salesperson', 'integration'], scope: { objects: [order('param:id')] } }, // POST /api/orders/:id/deliveries
  OrdersController_invoice: { roles: ['finance', 'integration'] }, // POST /api/orders/:id/invoices
  OrdersController_cancel: { roles: ['sales_manager', 'salesperson'], scope: { objects: [order('param:id')] } }, // POST /api/orders/:id/cancel
  ReturnsController_request: { roles: ['salesperson', 'sales_manager'], scope: { objects: [order('body:orderId')] } }, // POST /api/returns
  ReturnsController_accept: { roles: ['sales_manager'], scope: { objects: [orderReturn('param:id')] } }, // POST /api/returns/:id/accept
  ReturnsController_refuse: { roles: ['sales_manager'], scope: { objects: [orderReturn('param:id')] } }, // POST /api/returns/:id/refuse
  ReturnsController_receive: { roles: ['sales_manager', 'integration'], scope: { objects: [orderReturn('param:id')] } }, // POST /api/returns/:id/receive
  PriceOverridesController_approve: { roles: ['sales_manager'], scope: { objects: [override('param:id')] } }, // POST /api/price-overrides/:id/approve
  PriceOverridesController_reject: { roles: ['sales_manager'], scope: { objects: [override('param:id')] } }, // POST /api/price-overrides/:id/reject
  SalesSettingsController_get: { roles: ALL }, // GET /api/settings/sales
  SalesSettingsController_put: { roles: ADMIN_ONLY }, // PUT /api/settings/sales
  QuotesController_issue: {
    roles: ['salesperson', 'sales_manager'],
    scope: { objects: [customer('body:customerId')] },
    note: 'the quote names its salesperson: the controller refuses a colleague (QuoteForAnotherSalespersonForbidden)',
  }, // POST /api/quotes
  QuotesController_expire: { roles: ['sales_manager', 'integration'] }, // POST /api/quotes/expire
  QuotesController_revise: { roles: ['salesperson', 'sales_manager'], scope: { objects: [quote('param:id')] } }, // POST /api/quotes/:id/revise
  QuotesController_accept: { roles: ['salesperson', 'sales_manager'], scope: { objects: [quote('param:id')] } }, // POST /api/quotes/:id/accept
  QuotesController_reject: { roles: ['salesperson', 'sales_manager'], scope: { objects: [quote('param:id')] } }, // POST /api/quotes/:id/reject
  QuotesController_convert: { roles: ['salesperson', 'sales_manager'], scope: { objects: [quote('param:id')] } }, // POST /api/quotes/:id/convert
  QuotesController_approveOverride: { roles: ['sales_manager'], scope: { objects: [quote('param:id')] } }, // POST /api/quotes/:id/price-overrides/:overrideId/approve
  QuotesController_rejectOverride: { roles: ['sales_manager'], scope: { objects: [quote('param:id')] } }, // POST /api/quotes/:id/price-overrides/:overrideId/reject
  QuotesController_get: { roles: ALL, scope: { objects: [quote('param:id')] } }, // GET /api/quotes/:id
  QuotesController_list: { roles: ALL, scope: { list: { param: 'salespersonId', field: 'salespersonId' } } }, // GET /api/quotes
  OrdersQueriesController_list: { roles: READERS.orders, scope: { list: { param: 'salespersonId', field: 'salespersonId' } } }, // GET /api/orders
  OrdersQueriesController_get: { roles: READERS.orders, scope: { objects: [order('param:id')] } }, // GET /api/orders/:id
  OrderBoardChangesController_changes: { roles: READERS.orders, scope: { list: { param: 'salespersonId', field: 'salespersonId' } } }, // GET /api/order-board/changes
  OrdersQueriesController_backlog: { roles: READERS.orders, scope: { list: { field: 'salespersonId' } } }, // GET /api/reports/backlog
  CustomerAccountController_deposit: { roles: ['finance', 'integration'] }, // POST /api/customers/:customerId/deposits
  CustomerAccountController_refund: { roles: ['finance'] }, // POST /api/customers/:customerId/deposits/:depositId/refund
  CustomerAccountController_payment: { roles: ['finance', 'integration'] }, // POST /api/customers/:customerId/payments
  CustomerAccountController_allocate: { roles: ['finance'] }, // POST /api/customers/:customerId/allocations
  InvoicesController_refuse: { roles: ['finance', 'sales_manager'], scope: { objects: [invoice('param:invoiceId')] } }, // POST /api/invoices/:invoiceId/refusals
  InvoicesController_settle: { roles: ['finance'] }, // POST /api/invoices/:invoiceId/settle-dispute
  InvoicesController_writeOff: { roles: ['finance'] }, // POST /api/invoices/:invoiceId/write-off
  ReceivablesController_list: { roles: READERS.receivables, scope: { list: { field: 'ownerId' } } }, // GET /api/receivables
  ReceivablesController_get: { roles: READERS.receivables, scope: { objects: [customer('param:customerId')] } }, // GET /api/receivables/:customerId
  RegionsController_establish: { roles: ['sales_manager', 'admin_department'] }, // POST /api/regions
  RegionsController_changeManager: { roles: ['sales_manager', 'admin_department'], scope: { units: region((_, p) => p.id) } }, // POST /api/regions/:id/manager
  RegionsController_openBranch: { roles: ['sales_manager', 'admin_department'], scope: { units: region((_, p) => p.id) } }, // POST /api/regions/:id/branches
  RegionsController_closeBranch: { roles: ['sales_manager', 'admin_department'], scope: { units: region((_, p) => p.id) } }, // POST /api/regions/:id/branches/:branchId/close
  RegionsController_appointAgent: { roles: ['sales_manager', 'admin_department'], scope: { units: region((_, p) => p.id) } }, // POST /api/regions/:id/agents
  RegionsController_endAgent: { roles: ['sales_manager', 'admin_department'], scope: { units: region((_, p) => p.id) } }, // POST /api/regions/:id/agents/:agentId/end
  RegionsController_close: { roles: ['sales_manager', 'admin_department'], scope: { units: region((_, p) => p.id) } }, // POST /api/regions/:id/close
  RegionsController_list: { roles: READERS.organization }, // GET /api/regions
  RegionsController_get: { roles: READERS.organization }, // GET /api/regions/:id
  TeamsController_form: { roles: ['sales_manager', 'admin_department'], scope: { units: region((b) => b.regionId) } }, // POST /api/teams
  TeamsController_changeManager: { roles: ['sales_manager', 'admin_department'], scope: { units: team((_, p) => p.id) } }, // POST /api/teams/:id/manager
  TeamsController_disband: { roles: ['sales_manager', 'admin_department'], scope: { units: team((_, p) => p.id) } }, // POST /api/teams/:id/disband
  TeamsController_list: { roles: READERS.organization }, // GET /api/teams
  TeamsController_get: { roles: READERS.organization }, // GET /api/teams/:id
  EmployeesController_hire: { roles: ['sales_manager', 'admin_department'], scope: { units: team((b) => b.teamId) } }, // POST /api/employees
  EmployeesController_assignTerritory: { roles: ['sales_manager', 'admin_department'], scope: { subject: 'param:id' } }, // POST /api/employees/:id/territories
  EmployeesController_unassignTerritory: { roles: ['sales_manager', 'admin_department'], scope: { subject: 'param:id' } }, // POST /api/employees/:id/territories/:territory/unassign
  EmployeesController_transfer: { roles: ['sales_manager', 'admin_department'], scope: { subject: 'param:id' } }, // POST /api/employees/:id/transfer
  EmployeesController_leave: { roles: ['sales_manager', 'admin_department'], scope: { subject: 'param:id' } }, // POST /api/employees/:id/leave
  EmployeesController_list: { roles: READERS.organization }, // GET /api/employees
  EmployeesController_get: { roles: READERS.organization }, // GET /api/employees/:id
  TerritoryObjectionsController_raise: { roles: ['salesperson'], scope: { bodyOwners: employeeNamed } }, // POST /api/territory-objections
  TerritoryObjectionsController_escalate: { roles: ['integration', 'admin_department'] }, // POST /api/territory-objections/escalate
  TerritoryObjectionsController_resolve: { roles: ['sales_manager'], scope: { objects: [objection('param:id')] } }, // POST /api/territory-objections/:id/resolve
  TerritoryObjectionsController_decide: { roles: ['admin_department'] }, // POST /api/territory-objections/:id/decision
  TerritoryObjectionsController_withdraw: { roles: ['salesperson'], scope: { objects: [objection('param:id')] } }, // POST /api/territory-objections/:id/withdraw
  TerritoryObjectionsController_list: { roles: READERS.territoryObjections, scope: { list: { param: 'employeeId', field: 'employeeId' } } }, // GET /api/territory-objections
  TerritoryObjectionsController_get: { roles: READERS.territoryObjections, scope: { objects: [objection('param:id')] } }, // GET /api/territory-objections/:id
  VisitsController_record: { roles: ['salesperson', 'sales_manager'], scope: { bodyOwners: employeeNamed } }, // POST /api/visits
  VisitsController_list: {
    roles: ['salesperson', 'sales_manager', 'admin_department', 'analyst', 'auditor'],
    scope: { list: { param: 'employeeId', field: 'employeeId' } },
  }, // GET /api/visits
  OrganizationSettingsController_get: { roles: ALL }, // GET /api/settings/organization
  OrganizationSettingsController_put: { roles: ADMIN_ONLY }, // PUT /api/settings/organization
  TargetsController_setCompany: { roles: ['sales_manager', 'finance'] }, // POST /api/targets/:year/company
  TargetsController_assign: { roles: ['sales_manager', 'finance'], scope: { units: targetNode } }, // POST /api/targets/:year/assignments
  TargetsController_withdraw: { roles: ['sales_manager', 'finance'], scope: { units: targetNode } }, // POST /api/targets/:year/assignments/withdraw
  TargetsController_finalize: { roles: ['sales_manager', 'finance'] }, // POST /api/targets/:year/finalize
  TargetsController_revise: { roles: ['sales_manager', 'finance'], scope: { units: revisedNodes } }, // POST /api/targets/:year/revisions
  TargetsController_get: {
    roles: READERS.targets,
    note: 'the published plan is read whole by the sales organization; progress against it is scoped (ADR 0019)',
  }, // GET /api/targets/:year
  SalesExpensesController_record: {
    roles: ['salesperson', 'sales_manager', 'finance'],
    scope: {
      bodyOwners: employeeNamed,
      units: (b) => (b.employeeId === undefined || b.employeeId === null ? [{ level: 'region', id: b.regionId }] : []),
    },
  }, // POST /api/sales-expenses
  SalesExpensesController_reverse: { roles: ['sales_manager', 'finance'], scope: { objects: [expense('param:id')] } }, // POST /api/sales-expenses/:id/reverse
  SalesExpensesController_list: {
    roles: ['sales_manager', 'finance', 'analyst', 'auditor'],
    scope: { list: { param: 'employeeId', field: 'ownerId', regions: { param: 'regionId' } } },
    note: "a sales manager lists the expenses of the salespeople they lead and the region's own expenses of regions they manage",
  }, // GET /api/sales-expenses
  SalesPlansController_submit: { roles: ['salesperson'], note: 'always the caller’s own plan: the plan names the caller' }, // POST /api/sales-plans
  SalesPlansController_approve: { roles: ['sales_manager'], scope: { objects: [salesPlan('param:id')] } }, // POST /api/sales-plans/:id/approve
  SalesPlansController_returnPlan: { roles: ['sales_manager'], scope: { objects: [salesPlan('param:id')] } }, // POST /api/sales-plans/:id/return
  SalesPlansController_list: {
    roles: ['salesperson', 'sales_manager', 'admin_department', 'analyst', 'auditor'],
    scope: { list: { param: 'employeeId', field: 'employeeId' } },
  }, // GET /api/sales-plans
  SalesPlansController_get: {
    roles: ['salesperson', 'sales_manager', 'admin_department', 'analyst', 'auditor'],
    scope: { objects: [salesPlan('param:id')] },
  }, // GET /api/sales-plans/:id
  SalesProgressController_report: { roles: READERS.salesProgress, scope: { whole: true } }, // GET /api/reports/sales-progress
  SalesProgressController_drillDown: {
    roles: ['salesperson', 'sales_manager', 'finance', 'analyst', 'admin_department', 'auditor'],
    scope: { unit: { levelParam: 'level', idParam: 'id' } },
  }, // GET /api/reports/sales-progress/:level/:id
  SalesProgressController_unassigned: { roles: READERS.salesProgress, scope: { unit: { levelParam: 'level', idParam: 'id' } } }, // GET /api/reports/sales-progress/:level/:id/unassigned
  TargetsSettingsController_get: { roles: ALL }, // GET /api/settings/targets
  TargetsSettingsController_put: { roles: ADMIN_ONLY }, // PUT /api/settings/targets
  ConductController_recordFeedback: { roles: ['sales_manager', 'admin_department', 'integration'], scope: { bodyOwners: employeeNamed } }, // POST /api/service-feedback
  ConductController_schedule: {
    roles: ['sales_manager', 'admin_department'],
    scope: { bodyOwners: (b) => (Array.isArray(b.attendees) ? b.attendees : []) },
    note: 'a sales manager schedules meetings of people they lead',
  }, // POST /api/meetings
  ConductController_excuse: { roles: ['sales_manager'], scope: { bodyOwners: employeeNamed } }, // POST /api/meetings/:id/excusals
  ConductController_attendance: { roles: ['sales_manager', 'admin_department'], scope: { bodyOwners: employeeNamed } }, // POST /api/meetings/:id/attendance
  ConductController_correct: { roles: ['sales_manager', 'admin_department'], scope: { bodyOwners: employeeNamed } }, // POST /api/meetings/:id/attendance-corrections
  ConductController_cancel: {
    roles: ['sales_manager', 'admin_department'],
    scope: { objects: [meeting('param:id')] },
    note: 'a sales manager cancels a meeting whose attendees they all lead',
  }, // POST /api/meetings/:id/cancel
  ConductController_meeting: { roles: READERS.conduct, scope: { objects: [meetingAttended('param:id')] } }, // GET /api/meetings/:id
  ConductController_recordViolation: { roles: ['sales_manager', 'admin_department'], scope: { bodyOwners: employeeNamed } }, // POST /api/violations
  ConductController_violations: { roles: READERS.conduct, scope: { list: { param: 'employeeId', field: 'employeeId' } } }, // GET /api/violations
  DisciplineController_definePolicy: { roles: ['sales_manager', 'admin_department'] }, // POST /api/discipline-policies
  DisciplineController_policies: { roles: ['sales_manager', 'admin_department', 'auditor', 'salesperson', 'analyst'] }, // GET /api/discipline-policies
  DisciplineController_cases: { roles: READERS.conduct, scope: { list: { param: 'employeeId', field: 'employeeId' } } }, // GET /api/disciplinary-cases
  DisciplineController_case: { roles: READERS.conduct, scope: { objects: [disciplinaryCase('param:id')] } }, // GET /api/disciplinary-cases/:id
  DisciplineController_close: { roles: ['sales_manager'], scope: { objects: [disciplinaryCase('param:id')] } }, // POST /api/disciplinary-cases/:id/close
  AppraisalsController_defineScheme: { roles: ['sales_manager', 'admin_department'] }, // POST /api/appraisal-schemes
  AppraisalsController_schemes: { roles: ['sales_manager', 'admin_department', 'analyst', 'auditor', 'salesperson'] }, // GET /api/appraisal-schemes
  AppraisalsController_run: {
    roles: ['sales_manager', 'admin_department', 'integration'],
    scope: { bodyOwners: (b) => (Array.isArray(b.employeeIds) ? b.employeeIds : []), list: { field: 'employeeId' } },
    note: 'a sales manager runs and is answered the appraisals of the salespeople they lead; naming another is refused',
  }, // POST /api/appraisals/run
  AppraisalsController_appraisal: {
    roles: ['sales_manager', 'admin_department', 'analyst', 'auditor', 'salesperson'],
    scope: { objects: [appraisal('param:id')] },
  }, // GET /api/appraisals/:id
  AppraisalsController_review: { roles: ['sales_manager'], scope: { objects: [appraisal('param:id')] } }, // POST /api/appraisals/:id/review
  AppraisalsController_acknowledge: {
    roles: ['salesperson'],
    note: 'the appraised employee only: the decider refuses anyone else (NotOwnAppraisal)',
  }, // POST /api/appraisals/:id/acknowledge
  AppraisalsController_reviewPlan: { roles: ['sales_manager'], scope: { objects: [improvementPlan('param:id')] } }, // POST /api/improvement-plans/:id/review
  AppraisalsController_measures: { roles: ['sales_manager', 'admin_department', 'analyst', 'auditor', 'salesperson'] }, // GET /api/appraisal-measures
  AppraisalsController_improvementPlans: {
    roles: ['sales_manager', 'admin_department', 'analyst', 'auditor', 'salesperson'],
    scope: { list: { param: 'employeeId', field: 'employeeId' } },
  }, // GET /api/improvement-plans
  AppraisalReportsController_report: { roles: READERS.appraisals, scope: { list: { field: 'employeeId' } } }, // GET /api/reports/appraisals
  AppraisalReportsController_scorecard: {
    roles: ['sales_manager', 'admin_department', 'analyst', 'auditor', 'salesperson'],
    scope: { subject: 'param:id' },
  }, // GET /api/employees/:id/scorecard
} satisfies Record<string, Permission>;

type Assignment = { managerId?: string; teamId?: string; regionId?: string };
type Employee = Assignment & { id: string; history?: Assignment[] };
type Managed = { managerId?: string | null; regionId?: string };

/** The assignments that tie a salesperson to managers: the current one and the assignment history. */
const assignmentsOf = (employee: Employee): Assignment[] => [...(employee.teamId ? [employee] : []), ...(employee.history ?? [])];

const leadsEmployee = (
  employee: Employee,
  managerId: string,
  teamManager: (teamId: string) => string | null | undefined,
  regionManager: (regionId: string) => string | null | undefined,
): boolean =>
  assignmentsOf(employee).some(
    (a) =>
      a.managerId === managerId ||
      (a.teamId !== undefined && teamManager(a.teamId) === managerId) ||
      (a.regionId !== undefined && regionManager(a.regionId) === managerId),
  );

/**
 * A sales manager leads a salesperson whose team or region they manage or managed while the
 * salesperson belonged to it (current assignment and assignment history): documents dated in a
 * past assignment (a sale before a transfer, an invoice after leaving) stay with that team, as
 * sales credit does (ADR 0211).
 */
const leads = async (readStore: ReadStore, managerId: string, salespersonId: string): Promise<boolean> => {
  const employee = await readStore.get<Employee>(employeesProjection.collection, salespersonId);
  // A salesperson the organization does not know (no employee record) is in every manager's pool.
  if (!employee) return true;
  const assignments = assignmentsOf(employee);
  const teams = new Map<string, string | null | undefined>();
  const regions = new Map<string, string | null | undefined>();
  for (const teamId of new Set(assignments.map((a) => a.teamId).filter((t): t is string => Boolean(t)))) {
    teams.set(teamId, (await readStore.get<Managed>(teamsProjection.collection, teamId))?.managerId);
  }
  for (const regionId of new Set(assignments.map((a) => a.regionId).filter((r): r is string => Boolean(r)))) {
    regions.set(regionId, (await readStore.get<Managed>(regionsProjection.collection, regionId))?.managerId);
  }
  return leadsEmployee(
    employee,
    managerId,
    (t) => teams.get(t),
    (r) => regions.get(r),
  );
};

const scan = async <T>(readStore: ReadStore, collection: string): Promise<T[]> => {
  const all: T[] = [];
  for (let skip = 0; ; skip += 1000) {
    const page = await readStore.find<T>(collection, {}, { sort: { id: 1 }, limit: 1000, skip });
    all.push(...page);
    if (page.length < 1000) return all;
  }
};

/** Everyone the organization knows whom the manager does not lead: a manager's lists leave their documents out. */
const outsidePool = async (readStore: ReadStore, managerId: string): Promise<string[]> => {
  const [employees, teams, regions] = await Promise.all([
    scan<Employee>(readStore, employeesProjection.collection),
    scan<Managed & { id: string }>(readStore, teamsProjection.collection),
    scan<Managed & { id: string }>(readStore, regionsProjection.collection),
  ]);
  const teamManager = new Map(teams.map((t) => [t.id, t.managerId]));
  const regionManager = new Map(regions.map((r) => [r.id, r.managerId]));
  return employees
    .filter(
      (e) =>
        !leadsEmployee(
          e,
          managerId,
          (t) => teamManager.get(t),
          (r) => regionManager.get(r),
        ),
    )
    .map((e) => e.id);
};

/** Every region the organization knows that the manager does not manage: a region-owned list leaves its own documents out. */
const outsideRegions = async (readStore: ReadStore, managerId: string): Promise<string[]> =>
  (await scan<Managed & { id: string }>(readStore, regionsProjection.collection)).filter((r) => r.managerId !== managerId).map((r) => r.id);

/** A manager leads the teams they manage, the regions they manage and the teams within them, and the salespeople they lead. */
const leadsUnit = async (readStore: ReadStore, managerId: string, level: string, id: string): Promise<boolean | null> => {
  if (level === 'salesperson') return leads(readStore, managerId, id);
  if (level === 'region') {
    const region = await readStore.get<Managed>(regionsProjection.collection, id);
    return region ? region.managerId === managerId : null;
  }
  if (level === 'team') {
    const team = await readStore.get<Managed>(teamsProjection.collection, id);
    if (!team) return null;
    if (team.managerId === managerId) return true;
    if (!team.regionId) return false;
    return (await readStore.get<Managed>(regionsProjection.collection, team.regionId))?.managerId === managerId;
  }
  return false;
};

export const permissionPolicy: PermissionPolicy = {
  operations: permissionTable,
  leadsProjections: [employeesProjection.name, teamsProjection.name, regionsProjection.name],
  leads,
  outsidePool,
  outsideRegions,
  leadsUnit,
};
