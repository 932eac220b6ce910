import { OptionalDateField, NestedListField, OptionalNestedListField } from '@salesline/core';
import { CommandAccepted, ReasonBody, STATUS_FIELD } from '@salesline/core';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { FreeOfChargeField, FreeOfChargeReason } from '@salesline/pricing';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsNotEmpty } from 'class-validator';
import { IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ID_PATTERN } from '@salesline/shared-kernel';

const ID_MESSAGE = 'must be 1-64 letters, digits, _ or -';
const MAX_MINOR = Number.MAX_SAFE_INTEGER;
const MAX_QUANTITY = 1_000_000_000;
/** Why a line's price is below the floor, kept with the override request (at most 500 characters). */
export const OverrideReasonField = (description: string) =>
  applyDecorators(ApiPropertyOptional({ description }), IsOptional(), MaxLength(500), IsString());
/** The free-of-charge reason of an order or quote line. */
export const LINE_GIVEN_AWAY =
  'The line is given away for this reason: required for a zero price, which then needs an admin approval like any price below cost (ADR 0112)';

export class OrderLineBody {
  @ApiPropertyOptional({ example: 'L1', description: 'Default: L1, L2, … in order' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `lineId ${ID_MESSAGE}` })
  lineId?: string;

  @ApiProperty({ example: 'p-widget' })
  @Matches(ID_PATTERN, { message: `productId ${ID_MESSAGE}` })
  productId: string;

  @ApiProperty({ example: 10 })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity: number;

  @ApiPropertyOptional({
    example: 1250,
    description: 'Unit price in minor units; default the resolved price. Below your floor → a price override is requested',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  unitPrice?: number;

  @OverrideReasonField(
    'Why the price is below the floor; an admin selling below standard cost must give one, otherwise the line waits for an admin approval with a reason',
  )
  overrideReason?: string;

  @FreeOfChargeField(LINE_GIVEN_AWAY)
  freeOfCharge?: FreeOfChargeReason;
}

export class SalesCreditBody {
  @ApiProperty({ example: 'sp-anna' }) @Matches(ID_PATTERN, { message: `salespersonId ${ID_MESSAGE}` }) salespersonId: string;
  @ApiProperty({ example: 10000, description: 'Share in basis points; shares sum to 10000' }) @IsInt() @Min(1) @Max(10000) shareBp: number;
}

export class PlaceOrderBody {
  @ApiProperty({ example: 'c-1' })
  @Matches(ID_PATTERN, { message: `customerId ${ID_MESSAGE}` })
  customerId: string;

  @ApiPropertyOptional({
    example: 'sp-anna',
    description: 'Credited salesperson; default: the caller if a salesperson, else the customer owner',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `salespersonId ${ID_MESSAGE}` })
  salespersonId?: string;

  @OptionalNestedListField(SalesCreditBody, { min: 1, max: 20 }, { description: 'Split credit among salespeople (shares sum to 10000 bp)' })
  salesCredit?: SalesCreditBody[];

  @OptionalDateField({ example: '2026-11-27', description: 'Business date (default today, within the back-dating window)' })
  orderDate?: string;

  @NestedListField(OrderLineBody, { min: 1, max: 500 })
  lines: OrderLineBody[];
}

/** One ReasonBody for the whole API (one schema name in OpenAPI). */
export { ReasonBody };

const decisionDate = () =>
  OptionalDateField({ example: '2026-11-27', description: `Business date of the decision (default today; within the back-dating window)` });

/** Approving a price override: a reason, and the business date of the approval. */
export class ApproveOverrideBody extends ReasonBody {
  @decisionDate() approvedOn?: string;
}
/** Rejecting a price override: a reason, and the business date of the rejection. */
export class RejectOverrideBody extends ReasonBody {
  @decisionDate() rejectedOn?: string;
}
export class AcceptReturnBody {
  @decisionDate() acceptedOn?: string;
}
export class RefuseReturnBody extends ReasonBody {
  @decisionDate() refusedOn?: string;
}

export class LineQuantityBody {
  @ApiProperty({ example: 'L1' }) @Matches(ID_PATTERN, { message: `lineId ${ID_MESSAGE}` }) lineId: string;
  @ApiProperty({ example: 4 }) @IsInt() @Min(1) @Max(MAX_QUANTITY) quantity: number;
}

/** A list of `{ lineId, quantity }`: 1 to 500 entries, each validated. */
const LineQuantities = ({ optional = false } = {}) =>
  applyDecorators(
    ...(optional ? [IsOptional()] : []),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(500),
    ValidateNested({ each: true }),
    Type(() => LineQuantityBody),
  );

export class OverDeliveryBody {
  @ApiProperty({ example: 'customer accepts the full pallet' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export class DeliveryBody {
  @ApiProperty({ example: 'BOL-2026-0001', description: 'Bill of lading number, unique company-wide' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  billOfLading: string;

  @ApiProperty({ example: 'DHL' }) @IsString() @IsNotEmpty() @MaxLength(100) carrier: string;

  @OptionalDateField({ example: '2026-11-27' })
  deliveryDate?: string;

  @ApiProperty({ type: [LineQuantityBody] })
  @LineQuantities()
  lines: LineQuantityBody[];

  @ApiPropertyOptional({ type: OverDeliveryBody, description: 'A sales manager delivering beyond the tolerance says why' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OverDeliveryBody)
  overDelivery?: OverDeliveryBody;
}

export class InvoiceBody {
  @OptionalDateField({ example: '2026-11-27' })
  invoiceDate?: string;

  @ApiPropertyOptional({ type: [LineQuantityBody], description: 'Default: everything delivered and not yet billed' })
  @LineQuantities({ optional: true })
  lines?: LineQuantityBody[];
}

export class ReleaseCreditHoldBody extends ReasonBody {
  @OptionalDateField({ example: '2026-11-27', description: 'Business date of the release (default today)' })
  releasedOn?: string;
}

export class CancelBody extends ReasonBody {
  @OptionalDateField({ example: '2026-11-27', description: 'Business date of the cancellation (default today)' })
  cancelledOn?: string;

  @ApiPropertyOptional({ type: [LineQuantityBody], description: 'Default: every undelivered quantity' })
  @LineQuantities({ optional: true })
  lines?: LineQuantityBody[];
}

export class ReturnBody {
  @ApiProperty({ example: 'o-1' }) @Matches(ID_PATTERN, { message: `orderId ${ID_MESSAGE}` }) orderId: string;
  @ApiProperty({ example: 'damaged in transit' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;

  @OptionalDateField({ example: '2026-11-27' })
  requestedOn?: string;

  @ApiPropertyOptional({
    example: false,
    description:
      'Whether the customer wants the goods replaced (default true): a replacement reopens the quantity for delivery, with a credit check; without, the quantity is closed (ADR 0111)',
  })
  @IsOptional()
  @IsBoolean()
  replacement?: boolean;

  @ApiProperty({ type: [LineQuantityBody] })
  @LineQuantities()
  lines: LineQuantityBody[];
}

export class ReceiveReturnBody {
  @OptionalDateField({ example: '2026-11-27' })
  receivedOn?: string;

  @ApiPropertyOptional({ type: [LineQuantityBody], description: 'Default: the whole accepted return' })
  @LineQuantities({ optional: true })
  lines?: LineQuantityBody[];
}

export class OrderCommandAccepted extends CommandAccepted {
  @ApiProperty({ description: 'The derived order status after the command', ...STATUS_FIELD }) status: string;
}
