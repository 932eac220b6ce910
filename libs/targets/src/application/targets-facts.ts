import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, ReadModels, loadState } from '@salesline/core';
import { VersionedSettings } from '@salesline/core';
import { OrganizationFacts, assignmentOn } from '@salesline/organization';
import { BusinessDate, notFound, ruleViolation } from '@salesline/shared-kernel';
import { ExpenseBudgetFact } from '../domain/sales-expense';
import { COMPANY_NODE_ID, TargetNodeKind, nodeKey } from '../domain/target-measures';
import { TargetPlanState, targetPlanDecider, targetPlanStreamName } from '../domain/target-plan';
import { TARGETS_SETTINGS, TargetsSettings } from '../domain/targets-settings';
import { SalesPlanDoc, SalesExpenseDoc, salesExpensesProjection, salesPlansProjection } from '../read-models/targets.projections';

/**
 * The facts targets commands carry (ADR 0200, 0203, 0205): a node's parent from the organization, the budgets
 * from the target plan, the region of a salesperson's expense from their history.
 */
@Injectable()
export class TargetsFacts {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly reads: ReadModels,
    private readonly organization: OrganizationFacts,
  ) {}

  async plan(year: number): Promise<TargetPlanState> {
    return (await loadState(this.events, targetPlanStreamName(year), targetPlanDecider)).state;
  }

  /**
   * The parent of a node as the organization has it (ADR 0200, 0210): a team's region; a salesperson's team —
   * any team they belonged to during the plan's year (a transfer does not move a target by itself), by default
   * the latest. A region's parent is the company. A parent the caller names must be one of these.
   */
  async parentOf(nodeKind: TargetNodeKind, nodeId: string, named: string | undefined, year: number): Promise<string> {
    let allowed: string[];
    switch (nodeKind) {
      case 'region': {
        const region = await this.organization.region(nodeId);
        if (!region) throw notFound('RegionNotFound', `Region ${nodeId} does not exist`);
        return COMPANY_NODE_ID;
      }
      case 'team': {
        const team = await this.organization.team(nodeId);
        if (!team) throw notFound('TeamNotFound', `Team ${nodeId} does not exist`);
        allowed = [team.regionId];
        break;
      }
      case 'salesperson': {
        const employee = await this.organization.employee(nodeId);
        if (employee.status === 'none') throw notFound('EmployeeNotFound', `No salesperson ${nodeId}`);
        const inYear = employee.history.filter((i) => i.from <= `${year}-12-31` && (i.until === null || i.until > `${year}-01-01`));
        allowed = (inYear.length > 0 ? inYear : employee.history.slice(-1)).map((i) => i.teamId).reverse();
        break;
      }
      default:
        throw ruleViolation('InvalidTargetNode', "nodeKind must be 'region', 'team' or 'salesperson'");
    }
    if (named === undefined) return allowed[0];
    if (!allowed.includes(named))
      throw ruleViolation('TargetParentMismatch', `${nodeKind} ${nodeId} belongs to ${allowed.join(' or ')} in ${year}, not ${named}`, {
        nodeKind,
        nodeId,
        parentId: allowed[0],
        named,
      });
    return named;
  }

  /** The annual expense budgets of a region and a person in the year's plan (null when none). */
  async budgets(year: number, regionId: string, employeeId: string | null): Promise<ExpenseBudgetFact> {
    const plan = await this.plan(year);
    if (plan.status === 'none') return { region: null, person: null };
    return {
      region: plan.nodes[nodeKey('region', regionId)]?.expenseBudget ?? null,
      person: employeeId === null ? null : (plan.nodes[nodeKey('salesperson', employeeId)]?.expenseBudget ?? null),
    };
  }

  /** The region a salesperson belonged to on a date (for an expense recorded without one). */
  async regionOn(employeeId: string, date: BusinessDate): Promise<string> {
    const employee = await this.organization.employee(employeeId);
    if (employee.status === 'none') throw notFound('EmployeeNotFound', `No salesperson ${employeeId}`);
    const assignment = assignmentOn(employee.history, date);
    if (!assignment)
      throw ruleViolation('RegionRequired', `${employeeId} had no region on ${date}; name the region`, { field: 'regionId' });
    return assignment.regionId;
  }

  async expense(expenseId: string): Promise<SalesExpenseDoc> {
    await this.reads.catchUp([salesExpensesProjection]);
    const doc = await this.reads.get(salesExpensesProjection, expenseId);
    if (!doc) throw notFound('SalesExpenseNotFound', `No expense ${expenseId}`);
    return doc;
  }

  async salesPlan(planId: string): Promise<SalesPlanDoc> {
    await this.reads.catchUp([salesPlansProjection]);
    const doc = await this.reads.get(salesPlansProjection, planId);
    if (!doc) throw notFound('SalesPlanNotFound', `No sales plan ${planId}`);
    return doc;
  }

  async salesPlanFor(employeeId: string, period: string): Promise<SalesPlanDoc | null> {
    await this.reads.catchUp([salesPlansProjection]);
    const [doc] = await this.reads.find(salesPlansProjection, { employeeId, period }, { limit: 1 });
    return doc ?? null;
  }

  /** Company settings, versioned in `settings-targets` (PUT /api/settings/targets). */
  settings(): Promise<TargetsSettings> {
    return new VersionedSettings(this.events, TARGETS_SETTINGS).current();
  }
}
