import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { defineAggregate, EVENT_STORE, EventStore, route, RoutedCommand, RoutedCommandHandler } from '@salesline/core';
import { CommandInput } from '@salesline/shared-kernel';
import { SalesExpenseCommand, salesExpenseDecider, salesExpensesStreamName } from '../domain/sales-expense';
import { SalesPlanCommand, salesPlanDecider, salesPlanStreamName } from '../domain/sales-plan';
import { nodeKey } from '../domain/target-measures';
import { TargetChange, TargetPlanCommand, TargetPlanState, targetPlanDecider, targetPlanStreamName } from '../domain/target-plan';
import { TargetsFacts } from './targets-facts';
import { TARGET_PLAN_SCHEMA_VERSION } from './targets-upcasters';

/** AssignTarget's parentId is optional: the application fills it from the organization (ADR 0200). */
export type TargetPlanRequest =
  | Exclude<CommandInput<TargetPlanCommand>, { type: 'AssignTarget' | 'ReviseTargets' }>
  | { type: 'AssignTarget'; data: Omit<Extract<TargetPlanCommand, { type: 'AssignTarget' }>['data'], 'parentId'> & { parentId?: string } }
  | { type: 'ReviseTargets'; data: Extract<TargetPlanCommand, { type: 'ReviseTargets' }>['data'] };
export type SalesExpenseRequest = CommandInput<SalesExpenseCommand, 'budget' | 'settings'>;
export type SalesPlanRequest = CommandInput<SalesPlanCommand>;

/** A year's target plan (`target-plan-<year>`): any command may start it. */
export const TARGET_PLAN = defineAggregate({
  streamName: targetPlanStreamName,
  decider: targetPlanDecider,
  schemaVersion: TARGET_PLAN_SCHEMA_VERSION,
});
/** A year's sales expenses (`sales-expenses-<year>`): recorded into the year's log, reversed only when it exists. */
export const SALES_EXPENSES = defineAggregate({
  streamName: salesExpensesStreamName,
  decider: salesExpenseDecider,
  notFound: { code: 'SalesExpenseNotFound', unless: ['RecordSalesExpense'] },
});
/** A salesperson's plan for a period. */
export const SALES_PLAN = defineAggregate({
  streamName: ({ employeeId, period }: { employeeId: string; period: string }) => salesPlanStreamName(employeeId, period),
  decider: salesPlanDecider,
  notFound: { code: 'SalesPlanNotFound', unless: ['SubmitSalesPlan'] },
});

/** The targets context's route table. */
export const targetsRoutes = (facts: TargetsFacts) => ({
  'target-plan': route(TARGET_PLAN, (command: TargetPlanRequest, state, { id: year }) => withParents(facts, command, state, year)),
  'sales-expenses': route(SALES_EXPENSES, async (command: SalesExpenseRequest, _state, { id: year }) => {
    if (command.type === 'ReverseSalesExpense') return command;
    const budget = await facts.budgets(year, command.data.regionId, command.data.employeeId);
    const { salesExpenseOverBudget } = await facts.settings();
    return { ...command, data: { ...command.data, budget, settings: { salesExpenseOverBudget } } };
  }),
  'sales-plan': route(SALES_PLAN),
});
export type TargetsRoutes = ReturnType<typeof targetsRoutes>;

/** One message on the CommandBus for every targets command (target plan, sales expenses, sales plans). */
export class ExecuteTargetsCommand extends RoutedCommand<TargetsRoutes> {}

@CommandHandler(ExecuteTargetsCommand)
export class TargetsCommandHandler extends RoutedCommandHandler<TargetsRoutes> {
  constructor(@Inject(EVENT_STORE) events: EventStore, facts: TargetsFacts) {
    super(events, targetsRoutes(facts));
  }
}

/** Fill each node's parent from the organization (ADR 0200); a named parent must match it. */
const withParents = async (
  facts: TargetsFacts,
  cmd: TargetPlanRequest,
  state: TargetPlanState,
  year: number,
): Promise<CommandInput<TargetPlanCommand>> => {
  if (cmd.type === 'AssignTarget') {
    const parentId = await facts.parentOf(cmd.data.nodeKind, cmd.data.nodeId, cmd.data.parentId, year);
    return { ...cmd, data: { ...cmd.data, parentId } };
  }
  if (cmd.type === 'ReviseTargets') {
    const changes: TargetChange[] = [];
    for (const change of cmd.data.changes ?? []) {
      if (change.nodeKind === 'company' || change.target === null || change.nodeKind === 'region') {
        changes.push(change);
        continue;
      }
      // A named parent must be the organization's; a node new to the plan takes the organization's; otherwise
      // the decider keeps the current parent (a revision of figures does not silently move anyone).
      const known = state.status !== 'none' && state.nodes[nodeKey(change.nodeKind, change.nodeId)] !== undefined;
      const parentId =
        change.parentId !== undefined || !known ? await facts.parentOf(change.nodeKind, change.nodeId, change.parentId, year) : undefined;
      changes.push(parentId === undefined ? change : { ...change, parentId });
    }
    return { ...cmd, data: { ...cmd.data, changes } };
  }
  return cmd;
};
