import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

/** The one body for actions that only need a reason (block, cancel, reject…): one schema in OpenAPI. */
export class ReasonBody {
  @ApiProperty({ example: 'customer paid the overdue invoices', minLength: 1, maxLength: 2000, pattern: '\\S' })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(2000)
  reason: string;
}
