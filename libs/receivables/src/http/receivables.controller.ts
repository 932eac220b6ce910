import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { assertId, Ctx, DocumentFilter, RequestContext, Roles, ScopeFilter, ReadModels, READERS, ApiRefusals } from '@salesline/core';
import type { ReadModel } from '@salesline/core';
import { CustomerDoc, customersProjection } from '@salesline/customers';
import { notFound } from '@salesline/shared-kernel';
import { agingBalancesAsOf, agingPeriods, AgingRollupDoc, receivablesAgingProjection, receivablesProjection } from '../read-models';
import { CustomerCreditProfile, CustomerReceivables, customerReceivables, receivablesRow } from '../read-models/receivables-report';
import { ReceivablesRow, receivablesRowOf, receivablesTotals, ReceivablesTotals } from '../read-models/receivables-report';
import { emptyDoc } from '../read-models/receivables.projection';
import { ReceivablesQuery } from './receivables.dto';

/** Credit limits and names come from the customers read model. */
const READS = [receivablesProjection, receivablesAgingProjection, customersProjection];
/** The dated balances the list reads (the aging rollups, ADR 0028). */
const AGING: ReadModel<AgingRollupDoc> = { name: receivablesAgingProjection.name, collection: receivablesAgingProjection.collection };

@ApiTags('receivables')
@ApiBearerAuth()
@ApiRefusals({
  badRequest: 'ValidationFailed: { errors: [{ field, reason }] } (e.g. asOf is not a calendar date)',
  forbidden: 'RoleRequired',
})
@ApiServiceUnavailableResponse({ description: 'ProjectionLagging: the read model has not reached minPosition yet; retry' })
@Roles(...READERS.receivables)
@Controller('api/receivables')
export class ReceivablesController {
  constructor(private readonly readModels: ReadModels) {}

  @Get()
  @ApiOperation({
    summary:
      'Receivables as of a business date: company totals and one row per customer account (aging, money on account, disputes, reserved, exposure, headroom)',
  })
  @ApiOkResponse({
    description:
      '{ asOf, totals: { customers, openReceivables, aging: { current, days1to30, days31to60, days61to90, over90, total }, depositsOnHand, unallocatedPayments, unallocatedCreditNotes, unallocatedCredit, disputedAmount, inDunningAmount, reservedForOrders, exposure, creditLimit, headroom }, items: [{ customerId, customerName, …same figures, creditLimit, headroom }] } — sorted by customer name',
  })
  async list(
    @Query() query: ReceivablesQuery,
    @Ctx() ctx: RequestContext,
    @ScopeFilter() scoped: DocumentFilter,
  ): Promise<{ asOf: string; totals: ReceivablesTotals; items: ReceivablesRow[] }> {
    const asOf = query.asOf ?? ctx.today;
    await this.readModels.waitFor(READS, query.minPosition);
    // A sales manager's answer covers the customers of the salespeople they lead (the scope filter on their owner).
    const reachable = Object.keys(scoped).length ? new Set((await this.allCustomers(scoped)).map((c) => c.id)) : null;
    // Each account's balances as of the date from its dated changes: three rollups per customer, whatever its history.
    const ledgers = await this.readModels.findAll(AGING, { period: { $in: agingPeriods(asOf) } }, { sort: { id: 1 } });
    const accounts = agingBalancesAsOf(ledgers, asOf).filter((b) => !reachable || reachable.has(b.customerId));
    // Customers without activity have an account of zeros: listed on request.
    const known = new Set(accounts.map((b) => b.customerId));
    const inactive = query.includeInactive ? (await this.allCustomers(scoped)).filter((c) => !known.has(c.id)).map((c) => c.id) : [];
    const profiles = await this.profiles([...known, ...inactive]);
    const items = [
      ...accounts.map(({ customerId, ...amounts }) => receivablesRowOf(customerId, amounts, profiles.get(customerId) ?? null)),
      ...inactive.map((id) => receivablesRow(customerReceivables(emptyDoc(id), asOf, profiles.get(id) ?? null))),
    ].sort((a, b) => (a.customerName ?? '').localeCompare(b.customerName ?? '') || (a.customerId < b.customerId ? -1 : 1));
    return { asOf, totals: receivablesTotals(items), items };
  }

  @Get(':customerId')
  @ApiOperation({
    summary:
      "One customer's receivables as of a business date, with every open invoice (balance, days overdue, bucket, disputed, in dunning)",
  })
  @ApiOkResponse({
    description:
      'The customer row plus asOf and openInvoices: [{ invoiceId, orderId, invoiceDate, dueDate, amount, openBalance, daysOverdue, bucket, disputed, inDunning }], oldest due first',
  })
  @ApiRefusals({ notFound: 'CustomerNotFound (a customer without account activity answers 200 with zeros)' })
  async get(
    @Param('customerId') customerId: string,
    @Query() query: ReceivablesQuery,
    @Ctx() ctx: RequestContext,
  ): Promise<CustomerReceivables> {
    assertId(customerId, 'customerId');
    const asOf = query.asOf ?? ctx.today;
    await this.readModels.waitFor(READS, query.minPosition);
    const doc = await this.readModels.get(receivablesProjection, customerId);
    const profiles = await this.profiles([customerId]);
    if (!doc && !profiles.has(customerId)) throw notFound('CustomerNotFound', `Customer ${customerId} does not exist`);
    return customerReceivables(doc ?? emptyDoc(customerId), asOf, profiles.get(customerId) ?? null);
  }

  private allCustomers(filter: DocumentFilter = {}): Promise<CustomerDoc[]> {
    return this.readModels.findAll(customersProjection, filter, { sort: { id: 1 } });
  }

  private async profiles(customerIds: readonly string[]): Promise<Map<string, CustomerCreditProfile>> {
    if (customerIds.length === 0) return new Map();
    const customers = await this.readModels.find(customersProjection, { id: { $in: [...new Set(customerIds)] } });
    return new Map(customers.map((c) => [c.id, { name: c.name, creditLimit: c.creditLimit }]));
  }
}
