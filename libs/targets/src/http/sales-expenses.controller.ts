import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, DocumentFilter, RequestContext, Roles, ScopeFilter, assertId, newEntityId } from '@salesline/core';
import { validationFailed, BusinessDates, ReadModels, CommandEndpoint, ApiRefusals } from '@salesline/core';
import { ExecuteTargetsCommand } from '../application/targets-commands';
import { TargetsFacts } from '../application/targets-facts';
import { yearOfDate } from '../domain/period';
import { SalesExpenseRecorded } from '../domain/sales-expense';
import { SalesExpenseDoc, salesExpensesProjection } from '../read-models/targets.projections';
import { ListExpensesQuery, RecordExpenseBody, ReverseExpenseBody } from './targets.dto';

@ApiTags('targets')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/sales-expenses')
export class SalesExpensesController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly dates: BusinessDates,
    private readonly commandBus: CommandBus,
    private readonly facts: TargetsFacts,
  ) {}

  @Post()
  @CommandEndpoint(
    201,
    {
      summary: 'Record a sales expense against the budget of the region and the person (SalesExpenseRecorded)',
      description:
        "In 'warn' mode (default) an expense over budget is recorded and `overBudget` names the budgets it exceeds; in 'block' mode it is refused.",
    },
    { description: '{ id: expenseId, position, overBudget: ("region"|"person")[] }' },
  )
  @Roles('salesperson', 'sales_manager', 'finance')
  @ApiRefusals({
    forbidden: 'NotAllowedToRecordExpense',
    notFound: 'EmployeeNotFound',
    conflict: 'SalesExpenseAlreadyRecorded',
    unprocessable: 'RegionRequired, InvalidExpenseAmount, InvalidExpenseCategory, ExpenseDatedInFuture, SalesExpenseBudgetExceeded',
  })
  async record(@Body() body: RecordExpenseBody, @Ctx() ctx: RequestContext) {
    const expenseId = newEntityId('sales-expense', ctx);
    const spentOn = this.dates.on(body.spentOn, ctx, 'spentOn');
    const employeeId = body.employeeId ?? null;
    const regionId = body.regionId ?? (employeeId ? await this.facts.regionOn(employeeId, spentOn) : undefined);
    if (!regionId) {
      throw validationFailed([{ field: 'regionId', reason: 'regionId is required for an expense without a salesperson' }]);
    }
    const year = yearOfDate(spentOn);
    const result = await this.commandBus.execute(
      new ExecuteTargetsCommand(
        {
          kind: 'sales-expenses',
          id: year,
          command: {
            type: 'RecordSalesExpense',
            data: { expenseId, regionId, employeeId, amount: body.amount, spentOn, category: body.category, note: body.note ?? '' },
          },
        },
        ctx,
      ),
    );
    const recorded = result.events.find((e) => e.type === 'SalesExpenseRecorded') as SalesExpenseRecorded | undefined;
    return { id: expenseId, position: result.position, overBudget: recorded?.data.overBudget ?? [] };
  }

  @Post(':id/reverse')
  @CommandEndpoint(
    200,
    { summary: 'Reverse an expense with a reason (SalesExpenseReversed); it stops counting against the budget' },
    { description: '{ id, position }' },
  )
  @Roles('sales_manager', 'finance')
  @ApiRefusals({
    forbidden: 'NotAllowedToReverseExpense',
    notFound: 'SalesExpenseNotFound',
    conflict: 'SalesExpenseAlreadyReversed',
    unprocessable: 'ReversalReasonRequired',
  })
  async reverse(@Param('id') id: string, @Body() body: ReverseExpenseBody, @Ctx() ctx: RequestContext) {
    assertId(id);
    const expense = await this.facts.expense(id);
    const reversedOn = this.dates.optional(body.reversedOn, ctx, 'reversedOn');
    const result = await this.commandBus.execute(
      new ExecuteTargetsCommand(
        {
          kind: 'sales-expenses',
          id: expense.year,
          command: { type: 'ReverseSalesExpense', data: { expenseId: id, reason: body.reason, reversedOn } },
        },
        ctx,
      ),
    );
    return { id, position: result.position };
  }

  @Get()
  @Roles('sales_manager', 'finance', 'analyst', 'auditor')
  @ApiOperation({ summary: 'Sales expenses of a year, by region or person, with the total not reversed (read model)' })
  async list(@Query() query: ListExpensesQuery, @ScopeFilter() scope: DocumentFilter) {
    await this.readModels.waitFor([salesExpensesProjection], query.minPosition);
    // A sales manager's list (and its totals) holds only what they reach: the guard's filter on ownerId.
    const filter = { year: query.year, regionId: query.regionId, employeeId: query.employeeId, ...scope };
    const [items, all] = await Promise.all([
      this.readModels.find(salesExpensesProjection, filter, {
        sort: { spentOn: 1, id: 1 },
        limit: query.limit ?? 100,
        skip: query.offset ?? 0,
      }),
      this.readModels.find(salesExpensesProjection, filter),
    ]);
    return {
      items: items.map(({ _position: _p, ...doc }: SalesExpenseDoc & { _position?: number }) => doc),
      total: all.length,
      spent: all.filter((e) => !e.reversed).reduce((sum, e) => sum + e.amount, 0),
    };
  }
}
