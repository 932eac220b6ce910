import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, ValidateBy } from 'class-validator';
import { PagedReadModelQuery, ReadModelQuery } from '@salesline/core';
import { ID_PATTERN, isBusinessDate } from '@salesline/shared-kernel';
import { OrderStatus } from '../domain/order-state';

/** A real calendar day YYYY-MM-DD (2025-02-30 is refused). */
const IsCalendarDate = () =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: (v) => isBusinessDate(v), defaultMessage: (a) => `${a?.property} must be a calendar date YYYY-MM-DD` },
  });
export const ORDER_STATUSES: readonly OrderStatus[] = [
  'awaiting_price_approval',
  'on_credit_hold',
  'to_deliver_and_bill',
  'to_bill',
  'to_deliver',
  'completed',
  'cancelled',
];

export class ListOrdersQuery extends PagedReadModelQuery {
  @ApiPropertyOptional({ example: 'c-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'customerId must be 1-64 letters, digits, _ or -' })
  customerId?: string;

  @ApiPropertyOptional({ example: 'sp-anna', description: 'Primary salesperson (largest sales credit share)' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'salespersonId must be 1-64 letters, digits, _ or -' })
  salespersonId?: string;

  @ApiPropertyOptional({ enum: ORDER_STATUSES, description: 'Derived order status' })
  @IsOptional()
  @IsIn(ORDER_STATUSES as OrderStatus[])
  status?: OrderStatus;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'Order date from (inclusive)' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-01-31', description: 'Order date to (inclusive)' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

export class BacklogQuery extends ReadModelQuery {
  @ApiPropertyOptional({ example: 'p-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'productId must be 1-64 letters, digits, _ or -' })
  productId?: string;
}
