import { applyDecorators } from '@nestjs/common';
import { DateField, OptionalDateField, NestedListField } from '@salesline/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional } from 'class-validator';
import { IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { PagedReadModelQuery, AMOUNT_FIELD, DATE_FIELD, ID_FIELD } from '@salesline/core';
import { ID_PATTERN } from '@salesline/shared-kernel';
import { FreeOfChargeReason } from '../domain/price-list';
import { FreeOfChargeField } from './free-of-charge-field';

/**
 * A whole number from `min` (minor units or a quantity), at most a safe integer. Its decorators are listed
 * bottom-up, as the stacks it stands for applied them, so that a 400 names the reasons in the same order.
 */
const WholeNumberFrom = (min: 0 | 1) => applyDecorators(Max(Number.MAX_SAFE_INTEGER), Min(min), IsInt());
/** The business date of a product fact. */
const FACT_DATE = { example: '2026-03-01', description: 'Business date of the fact (default today; within the back-dating window)' };

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;
/** SKUs name their reservation stream (`product-sku-<sku>`), so they keep to stream-name characters. */
const SKU = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const NOT_BLANK = /\S/;
const MAX_ITEMS = 1000;
const MAX_BREAKS = 50;

export { CommandAccepted } from '@salesline/core';

// ── products ────────────────────────────────────────────────────────────────────────────
export class RegisterProductBody {
  @ApiProperty({ example: 'WID-100', description: 'Unique stock-keeping unit: letters, digits, _ or -, max 64' })
  @Matches(SKU, { message: 'sku must be 1-64 letters, digits, _ or - (starting with a letter or digit)' })
  sku: string;

  @ApiProperty({ example: 'Widget 100' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'pcs' }) @IsString() @Matches(NOT_BLANK, { message: 'unit must not be blank' }) @MaxLength(20) unit: string;

  @ApiProperty({ example: 1000, description: 'List price in minor units (> 0)' })
  @WholeNumberFrom(1)
  listPrice: number;

  @ApiProperty({ example: 600, description: 'Standard cost in minor units (> 0)' })
  @WholeNumberFrom(1)
  standardCost: number;

  @OptionalDateField(FACT_DATE)
  registeredOn?: string;
}

export class ChangeListPriceBody {
  @ApiProperty({ example: 1200 }) @WholeNumberFrom(1) listPrice: number;

  @OptionalDateField(FACT_DATE)
  changedOn?: string;
}

export class ChangeStandardCostBody {
  @ApiProperty({ example: 650 }) @WholeNumberFrom(1) standardCost: number;

  @OptionalDateField(FACT_DATE)
  changedOn?: string;
}

export class DiscontinueProductBody {
  @ApiPropertyOptional({ example: 'end of life' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;

  @OptionalDateField(FACT_DATE)
  discontinuedOn?: string;
}

export class ListProductsQuery extends PagedReadModelQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(SKU) sku?: string;
  @ApiPropertyOptional({ enum: ['active', 'discontinued'] }) @IsOptional() @IsIn(['active', 'discontinued']) status?:
    'active' | 'discontinued';
}

// ── price lists ─────────────────────────────────────────────────────────────────────────
export class PriceBreakBody {
  @ApiProperty({ example: 10, description: 'The break applies from this quantity on (≥ 1, strictly increasing within an item)' })
  @WholeNumberFrom(1)
  minQuantity: number;

  @ApiProperty({ example: 900, description: 'Unit price in minor units' })
  @WholeNumberFrom(0)
  unitPrice: number;
}

export class PriceListItemBody {
  @ApiProperty({ example: 'p-1' }) @Matches(ID_PATTERN, { message: 'productId must be 1-64 letters, digits, _ or -' }) productId: string;

  @NestedListField(PriceBreakBody, { min: 1, max: MAX_BREAKS })
  breaks: PriceBreakBody[];

  @ApiPropertyOptional({ description: 'Required with a price below the standard cost, which only an admin may publish (ADR 0112)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  belowCostReason?: string;

  @FreeOfChargeField('Required with a zero price: the item is given away for this reason')
  freeOfCharge?: FreeOfChargeReason;
}

export class PriceListScopeBody {
  @ApiProperty({ enum: ['customer', 'group'] }) @IsIn(['customer', 'group']) kind: 'customer' | 'group';

  @ApiPropertyOptional({ description: "Required when kind is 'customer'" })
  @ValidateIf((scope: PriceListScopeBody) => scope.kind === 'customer')
  @Matches(ID_PATTERN, { message: 'customerId must be 1-64 letters, digits, _ or -' })
  customerId?: string;

  @ApiPropertyOptional({ description: "Required when kind is 'group'" })
  @ValidateIf((scope: PriceListScopeBody) => scope.kind === 'group')
  @Matches(CODE, { message: 'customerGroup must be 1-64 letters, digits, _ . or -' })
  customerGroup?: string;
}

export class PriceListItemsBody {
  @NestedListField(PriceListItemBody, { min: 1, max: MAX_ITEMS })
  items: PriceListItemBody[];
}

export class CreatePriceListBody extends PriceListItemsBody {
  @ApiProperty({ example: 'Wholesale 2026' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  @MaxLength(200)
  name: string;

  @ApiProperty({ type: PriceListScopeBody }) @ValidateNested() @Type(() => PriceListScopeBody) scope: PriceListScopeBody;

  @DateField({ example: '2026-01-01' }) @IsISO8601({ strict: true }) validFrom: string;

  @OptionalDateField({ example: '2026-12-31', nullable: true, description: 'Last day the list applies (null: open-ended)' })
  @IsISO8601({ strict: true })
  validTo?: string | null;

  @OptionalDateField({
    example: '2025-12-15',
    description: 'Business date of publication (default validFrom when it has passed, else today; within the back-dating window)',
  })
  createdOn?: string;
}

export class ClosePriceListBody {
  @OptionalDateField({ example: '2026-03-01', description: 'From this business date on the list no longer applies (default today)' })
  closedOn?: string;

  @ApiPropertyOptional({ example: 'superseded' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class ListPriceListsQuery extends PagedReadModelQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN) customerId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CODE) customerGroup?: string;
  @ApiPropertyOptional({ enum: ['active', 'closed'] }) @IsOptional() @IsIn(['active', 'closed']) status?: 'active' | 'closed';
}

// ── price resolution ────────────────────────────────────────────────────────────────────
export class PriceQuery {
  @ApiProperty() @Matches(ID_PATTERN, { message: 'customerId must be 1-64 letters, digits, _ or -' }) customerId: string;
  @ApiProperty() @Matches(ID_PATTERN, { message: 'productId must be 1-64 letters, digits, _ or -' }) productId: string;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @WholeNumberFrom(1)
  quantity?: number;

  @OptionalDateField({ description: 'The date the price is for (default today)' })
  @IsISO8601({ strict: true })
  date?: string;
}

export class PriceSourceView {
  @ApiProperty({ enum: ['customer', 'group', 'list'] }) kind: string;
  @ApiPropertyOptional(ID_FIELD) priceListId?: string;
  @ApiPropertyOptional({ description: 'The quantity break that applied', ...AMOUNT_FIELD, minimum: 1 }) minQuantity?: number;
}

export class ResolvedPriceView {
  @ApiProperty(ID_FIELD) customerId: string;
  @ApiProperty({ nullable: true, pattern: CODE.source, maxLength: 64 }) customerGroup: string | null;
  @ApiProperty(ID_FIELD) productId: string;
  @ApiProperty({ ...AMOUNT_FIELD, minimum: 1 }) quantity: number;
  @ApiProperty(DATE_FIELD) date: string;
  @ApiProperty({ description: 'Resolved unit price in minor units', ...AMOUNT_FIELD, minimum: 0 }) unitPrice: number;
  @ApiProperty({ type: PriceSourceView }) source: PriceSourceView;
  @ApiProperty({ ...AMOUNT_FIELD, minimum: 0 }) listPrice: number;
  @ApiProperty() discontinued: boolean;
}
