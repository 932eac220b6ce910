import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { assertId, Ctx, DocumentFilter, RequestContext, Roles, ScopeFilter, ReadModels, READERS, ApiRefusals } from '@salesline/core';
import type { ReadModel } from '@salesline/core';
import { CustomerDoc, customersProjection } from '@salesline/customers';
import { notFound } from '@salesline/shared-kernel';
import { AgingRollupDoc, agingBalancesAsOf, agingPeriods, receivablesProjection } from '../read-models';
import {
  CustomerCreditProfile,
  CustomerReceivables,
  customerReceivables,
  receivablesRow,
  ReceivablesRow,
  receivablesRowOf,
  receivablesTotals,
  ReceivablesTotals,
} from '../read-models/receivables-report';
import { ACCOUNT_QUERY_DOC_TYPES, emptyAccount, receivablesAccountOf, ReceivablesLedgerEntry } from '../read-models/receivables.projection';
import type { ReceivablesAccountDoc, ReservationTotalsDoc } from '../read-models/receivables.projection';
import { ReceivablesQuery } from './receivables.dto';

/** Credit limits and names come from the customers read model. */
const READS = [receivablesProjection, customersProjection];
/** What the as-of list reads of the ledger: accounts, reservation totals and aging rollups (ADR 0028). */
const BALANCES: ReadModel<AgingRollupDoc | ReceivablesAccountDoc | ReservationTotalsDoc> = {
  name: receivablesProjection.name,
  collection: receivablesProjection.collection,
};

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
    // Each account's balances as of the date from its dated changes (ADR 0028): its account, its reservation totals and
    // three aging rollups per customer, whatever its history.
    const [aging, accountsAndTotals] = await Promise.all([
      this.readModels.findAll(BALANCES, { docType: 'aging', period: { $in: agingPeriods(asOf) } }, { sort: { id: 1 } }),
      this.readModels.findAll(BALANCES, { docType: { $in: ['account', 'totals'] } }, { sort: { id: 1 } }),
    ]);
    const accounts = agingBalancesAsOf([...accountsAndTotals, ...aging], asOf).filter((b) => !reachable || reachable.has(b.customerId));
    // Customers without activity have an account of zeros: listed on request.
    const known = new Set(accounts.map((b) => b.customerId));
    const inactive = query.includeInactive ? (await this.allCustomers(scoped)).filter((c) => !known.has(c.id)).map((c) => c.id) : [];
    const profiles = await this.profiles([...known, ...inactive]);
    const items = [
      ...accounts.map(({ customerId, ...amounts }) => receivablesRowOf(customerId, amounts, profiles.get(customerId) ?? null)),
      ...inactive.map((id) => receivablesRow(customerReceivables(emptyAccount(id), asOf, profiles.get(id) ?? null))),
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
    // The account's documents but its open reservations, which its rollup sums.
    const docs = await this.readModels.find<ReceivablesLedgerEntry>(receivablesProjection, {
      customerId,
      docType: { $in: ACCOUNT_QUERY_DOC_TYPES },
    });
    const profiles = await this.profiles([customerId]);
    if (docs.length === 0 && !profiles.has(customerId)) throw notFound('CustomerNotFound', `Customer ${customerId} does not exist`);
    return customerReceivables(receivablesAccountOf(customerId, docs), asOf, profiles.get(customerId) ?? null);
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
