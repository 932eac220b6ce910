import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Min } from 'class-validator';
import { assertId, Ctx, RequestContext, Roles, validationFailed, ApiRefusals, PageLimit } from '@salesline/core';
import { AuditTimelines } from '../application/audit-timelines';
import { TimelineKind } from '../domain/audit-subjects';

class TimelineQuery {
  @ApiPropertyOptional({ description: 'Cursor: entries strictly after this global position (the `next` of the previous page)', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({ description: 'Employees: cursor of the second list (events they caused as actor)', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  actorAfter?: number;

  @ApiPropertyOptional({ description: 'The state as it was recorded at this instant (ISO-8601), folded from history' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;

  @ApiPropertyOptional({ description: 'With `to`: the field-by-field difference between two instants' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'With `from`: the later instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Wait until the audit index has applied this position (read your writes)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}

const iso = (value: string) => new Date(value).toISOString();

/**
 * The auditors' view of a thing: every event about it across all streams, oldest first, paged;
 * `?asOf=` its state as recorded then; `?from=&to=` what changed in between, field by field.
 * Each read is itself recorded (AuditViewRead on `audit-reads-<reader>`).
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditTimelinesController {
  constructor(private readonly timelines: AuditTimelines) {}

  @Get('orders/:id')
  @Roles('auditor')
  @ApiOperation({
    summary:
      "An order's timeline: quote, overrides, credit reservation, holds, deliveries, invoices, returns, credit notes, payments allocated",
  })
  @ApiParam({ name: 'id' })
  @ApiOkResponse({
    description:
      '{ kind, id, entries: [{ position, event, businessDate, actor, recordedAt, correlationId, causationId, stream }], next } — or { state } with asOf, { changes } with from/to',
  })
  @ApiRefusals({ notFound: 'OrderNotFound' })
  order(@Param('id') id: string, @Query() query: TimelineQuery, @Ctx() ctx: RequestContext) {
    return this.view('order', id, query, ctx);
  }

  @Get('customers/:id')
  @Roles('auditor')
  @ApiOperation({ summary: "A customer's timeline: file, credit, account (reservations, invoices, payments), orders and quotes placed" })
  @ApiRefusals({ notFound: 'CustomerNotFound' })
  customer(@Param('id') id: string, @Query() query: TimelineQuery, @Ctx() ctx: RequestContext) {
    return this.view('customer', id, query, ctx);
  }

  @Get('employees/:id')
  @Roles('auditor')
  @ApiOperation({
    summary:
      "An employee's timeline (hiring, transfers, targets, plans, visits, attendance, violations, cases, appraisals, reviews) and, as `asActor`, the events they caused",
  })
  @ApiRefusals({ notFound: 'EmployeeNotFound' })
  employee(@Param('id') id: string, @Query() query: TimelineQuery, @Ctx() ctx: RequestContext) {
    return this.view('employee', id, query, ctx);
  }

  @Get('products/:id')
  @Roles('auditor')
  @ApiOperation({ summary: "A product's timeline: prices, costs, price-list items, the quote and order lines that name it" })
  @ApiRefusals({ notFound: 'ProductNotFound' })
  product(@Param('id') id: string, @Query() query: TimelineQuery, @Ctx() ctx: RequestContext) {
    return this.view('product', id, query, ctx);
  }

  @Get('quotes/:id')
  @Roles('auditor')
  @ApiOperation({ summary: "A quote's timeline: revisions, overrides, acceptance, conversion" })
  @ApiRefusals({ notFound: 'QuoteNotFound' })
  quote(@Param('id') id: string, @Query() query: TimelineQuery, @Ctx() ctx: RequestContext) {
    return this.view('quote', id, query, ctx);
  }

  @Get('returns/:id')
  @Roles('auditor')
  @ApiOperation({ summary: "A return's timeline: request, decision, goods received, credit note and its posting" })
  @ApiRefusals({ notFound: 'ReturnNotFound' })
  return(@Param('id') id: string, @Query() query: TimelineQuery, @Ctx() ctx: RequestContext) {
    return this.view('return', id, query, ctx);
  }

  private async view(kind: TimelineKind, id: string, query: TimelineQuery, ctx: RequestContext) {
    assertId(id);
    if ((query.from === undefined) !== (query.to === undefined)) {
      throw validationFailed([{ field: query.from === undefined ? 'from' : 'to', reason: 'from and to go together' }]);
    }
    if (query.asOf !== undefined && query.from !== undefined)
      throw validationFailed([{ field: 'asOf', reason: 'asOf or from/to, not both' }]);
    if (query.from !== undefined && query.to !== undefined && Date.parse(query.from) > Date.parse(query.to)) {
      throw validationFailed([{ field: 'to', reason: 'must not be before from' }]);
    }
    await this.timelines.waitFor(query.minPosition);
    await this.timelines.exists(kind, id);
    const answer = await this.answer(kind, id, query);
    await this.timelines.recordRead(
      kind,
      id,
      { after: query.after, limit: query.limit, actorAfter: query.actorAfter, asOf: query.asOf, from: query.from, to: query.to },
      ctx,
    );
    return answer;
  }

  private async answer(kind: TimelineKind, id: string, query: TimelineQuery) {
    if (query.asOf !== undefined)
      return { kind, id, asOf: iso(query.asOf), state: await this.timelines.stateAt(kind, id, iso(query.asOf)) };
    if (query.from !== undefined && query.to !== undefined) {
      return {
        kind,
        id,
        from: iso(query.from),
        to: iso(query.to),
        changes: await this.timelines.diff(kind, id, iso(query.from), iso(query.to)),
      };
    }
    const limit = query.limit ?? 100;
    const timeline = await this.timelines.page(await this.timelines.subjectsOf(kind, id), query.after ?? 0, limit);
    if (kind !== 'employee') return { kind, id, ...timeline };
    return { kind, id, ...timeline, asActor: await this.timelines.asActor(id, query.actorAfter ?? 0, limit) };
  }
}
