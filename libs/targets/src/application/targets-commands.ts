import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, RequestContext, commandContextOf, executeCommand } from '@salesline/core';
import { SalesExpenseCommand, salesExpenseDecider, salesExpensesStreamName } from '../domain/sales-expense';
import { SalesPlanCommand, salesPlanDecider, salesPlanStreamName } from '../domain/sales-plan';
import { nodeKey } from '../domain/target-measures';
import { TargetChange, TargetPlanCommand, TargetPlanState, targetPlanDecider, targetPlanStreamName } from '../domain/target-plan';
import { CommandInput as Input, CommandInput as WithoutFacts } from '@salesline/shared-kernel';
import { TargetsFacts } from './targets-facts';

export type TargetsCommandResult = { id: string; position: number; replayed: boolean; events: readonly { type: string; data: unknown }[] };

/** AssignTarget's parentId is optional: the application fills it from the organization (ADR 0200). */
export type TargetPlanRequest =
  | Exclude<Input<TargetPlanCommand>, { type: 'AssignTarget' | 'ReviseTargets' }>
  | { type: 'AssignTarget'; data: Omit<Extract<TargetPlanCommand, { type: 'AssignTarget' }>['data'], 'parentId'> & { parentId?: string } }
  | { type: 'ReviseTargets'; data: Extract<TargetPlanCommand, { type: 'ReviseTargets' }>['data'] };
export type SalesExpenseRequest = WithoutFacts<SalesExpenseCommand, 'budget' | 'settings'>;
export type SalesPlanRequest = Input<SalesPlanCommand>;

export type TargetsTarget =
  | { kind: 'target-plan'; year: number; command: TargetPlanRequest }
  | { kind: 'sales-expenses'; year: number; id: string; command: SalesExpenseRequest }
  | { kind: 'sales-plan'; planId: string; employeeId: string; period: string; command: SalesPlanRequest };

/** One message on the CommandBus for every targets command (target plan, sales expenses, sales plans). */
export class ExecuteTargetsCommand extends Command<TargetsCommandResult> {
  constructor(
    readonly target: TargetsTarget,
    readonly request: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(ExecuteTargetsCommand)
export class TargetsCommandHandler implements ICommandHandler<ExecuteTargetsCommand, TargetsCommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly facts: TargetsFacts,
  ) {}

  async execute({ target, request }: ExecuteTargetsCommand): Promise<TargetsCommandResult> {
    const context = commandContextOf(request);
    const done = (id: string, r: { position: number; replayed: boolean; events: readonly { type: string; data: unknown }[] }) => ({
      id,
      position: r.position,
      replayed: r.replayed,
      events: r.events.map((e) => ({ type: e.type, data: e.data })),
    });
    switch (target.kind) {
      case 'target-plan': {
        const cmd = target.command;
        const result = await executeCommand(this.events, {
          streamName: targetPlanStreamName(target.year),
          decider: targetPlanDecider,
          request,
          command: undefined as unknown as TargetPlanCommand,
          prepare: async (state) => ({ ...(await this.withParents(cmd, state, target.year)), context }) as TargetPlanCommand,
        });
        return done(String(target.year), result);
      }
      case 'sales-expenses': {
        const cmd = target.command;
        const result = await executeCommand(this.events, {
          streamName: salesExpensesStreamName(target.year),
          decider: salesExpenseDecider,
          request,
          notFoundCode: cmd.type === 'ReverseSalesExpense' ? 'SalesExpenseNotFound' : undefined,
          command: undefined as unknown as SalesExpenseCommand,
          prepare: async () => {
            if (cmd.type === 'ReverseSalesExpense') return { ...cmd, context } as SalesExpenseCommand;
            const budget = await this.facts.budgets(target.year, cmd.data.regionId, cmd.data.employeeId);
            const { salesExpenseOverBudget } = await this.facts.settings();
            return { ...cmd, data: { ...cmd.data, budget, settings: { salesExpenseOverBudget } }, context } as SalesExpenseCommand;
          },
        });
        return done(target.id, result);
      }
      case 'sales-plan': {
        const result = await executeCommand(this.events, {
          streamName: salesPlanStreamName(target.employeeId, target.period),
          decider: salesPlanDecider,
          request,
          notFoundCode: target.command.type === 'SubmitSalesPlan' ? undefined : 'SalesPlanNotFound',
          command: { ...target.command, context } as SalesPlanCommand,
        });
        return done(target.planId, result);
      }
    }
  }

  /** Fill each node's parent from the organization (ADR 0200); a named parent must match it. */
  private async withParents(cmd: TargetPlanRequest, state: TargetPlanState, year: number): Promise<Omit<TargetPlanCommand, 'context'>> {
    if (cmd.type === 'AssignTarget') {
      const parentId = await this.facts.parentOf(cmd.data.nodeKind, cmd.data.nodeId, cmd.data.parentId, year);
      return { ...cmd, data: { ...cmd.data, parentId } } as Omit<TargetPlanCommand, 'context'>;
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
          change.parentId !== undefined || !known
            ? await this.facts.parentOf(change.nodeKind, change.nodeId, change.parentId, year)
            : undefined;
        changes.push(parentId === undefined ? change : { ...change, parentId });
      }
      return { ...cmd, data: { ...cmd.data, changes } };
    }
    return cmd;
  }
}
