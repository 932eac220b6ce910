import { OptionalDateField, NestedListField } from '@salesline/core';
import { ReasonBody, ID_FIELD, STATUS_FIELD } from '@salesline/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional } from 'class-validator';
import { Matches, Max, Min } from 'class-validator';
import { FreeOfChargeField, FreeOfChargeReason } from '@salesline/pricing';
import { LINE_GIVEN_AWAY, OverrideReasonField } from './orders.dto';
import { CommandAccepted, PagedReadModelQuery } from '@salesline/core';
import { ID_PATTERN } from '@salesline/shared-kernel';
import { QuoteStatus } from '../domain/quote';

/** Short line ids: the override id `<quoteId>-r<revision>-<lineId>` must stay a valid id (≤ 64). */
const LINE_ID = /^[A-Za-z0-9_-]{1,20}$/;
const MAX_LINES = 200;
const QUOTE_STATUSES: QuoteStatus[] = ['open', 'accepted', 'rejected', 'expired', 'converted'];
const ID_MESSAGE = (field: string) => ({ message: `${field} must be 1-64 letters, digits, _ or -` });

export class QuoteLineBody {
  @ApiPropertyOptional({ example: 'line-1', description: 'Default: line-<position>' })
  @IsOptional()
  @Matches(LINE_ID, { message: 'lineId must be 1-20 letters, digits, _ or -' })
  lineId?: string;

  @ApiProperty({ example: 'p-1' }) @Matches(ID_PATTERN, ID_MESSAGE('productId')) productId: string;

  @ApiProperty({ example: 10 }) @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) quantity: number;

  @ApiPropertyOptional({
    example: 900,
    description: 'Offered unit price in minor units (default: the resolved price). Below your floor: a price override is requested',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  unitPrice?: number;

  @OverrideReasonField('Why the price is lower (kept with the override request)')
  overrideReason?: string;

  @FreeOfChargeField(LINE_GIVEN_AWAY)
  freeOfCharge?: FreeOfChargeReason;
}

class QuoteLinesBody {
  @NestedListField(QuoteLineBody, { min: 1, max: MAX_LINES })
  lines: QuoteLineBody[];

  @OptionalDateField({
    example: '2026-03-31',
    description: 'Last day the offer holds (default: the quote or revision date + quoteValidityDays)',
  })
  @IsISO8601({ strict: true })
  validUntil?: string;
}

export class IssueQuoteBody extends QuoteLinesBody {
  @ApiProperty({ example: 'c-1' }) @Matches(ID_PATTERN, ID_MESSAGE('customerId')) customerId: string;

  @ApiPropertyOptional({ description: 'Default: the caller. Only a sales manager may quote for someone else' })
  @IsOptional()
  @Matches(ID_PATTERN, ID_MESSAGE('salespersonId'))
  salespersonId?: string;

  @OptionalDateField({
    example: '2026-03-01',
    description: 'Business date (default today, within the back-dating window); lines are priced on it',
  })
  quoteDate?: string;
}

export class ReviseQuoteBody extends QuoteLinesBody {
  @OptionalDateField({
    example: '2026-03-10',
    description: 'Business date of the revision (default today; within the back-dating window)',
  })
  revisedOn?: string;
}

/** One ReasonBody for the whole API (one schema name in OpenAPI). */
export { ReasonBody };

export class RejectQuoteBody extends ReasonBody {
  @OptionalDateField({ example: '2026-03-10', description: "Business date of the customer's rejection (default today)" })
  rejectedOn?: string;
}

export class ListQuotesQuery extends PagedReadModelQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN) customerId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN) salespersonId?: string;
  @ApiPropertyOptional({ enum: QUOTE_STATUSES }) @IsOptional() @IsIn(QUOTE_STATUSES) status?: QuoteStatus;
}

export { CommandAccepted } from '@salesline/core';

export class QuoteConvertedView extends CommandAccepted {
  @ApiProperty({ description: 'The order placed from the quote (derived from the quote id)', ...ID_FIELD }) orderId: string;
  @ApiProperty({
    description: "The order's derived status: on_credit_hold, awaiting_price_approval, to_deliver_and_bill, …",
    ...STATUS_FIELD,
  })
  status: string;
}

export class QuoteCommandAccepted extends CommandAccepted {
  @ApiProperty({
    description: "The quote's status after the command; awaiting_price_approval while a price override is pending",
    ...STATUS_FIELD,
  })
  status: string;
}

export class QuotesExpiredView {
  @ApiProperty({
    type: [String],
    description: 'Quotes this sweep expired (at most 500: sweep again while it is not empty)',
    ...ID_FIELD,
    maxItems: 500,
  })
  expired: string[];
}

export class ConvertQuoteBody {
  @OptionalDateField({ example: '2026-03-02', description: "The order's business date (default today, within the back-dating window)" })
  orderDate?: string;
}

export class AcceptQuoteBody {
  @OptionalDateField({ example: '2026-03-01', description: "Business date of the customer's acceptance (default today)" })
  acceptedOn?: string;
}
