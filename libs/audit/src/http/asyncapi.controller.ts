import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@salesline/core';
import { buildAsyncApiDocument } from '../catalog/asyncapi';

/** The published event catalog (AsyncAPI 3), generated from the deciders' event types. */
@ApiTags('feed')
@Controller()
export class AsyncApiController {
  private readonly document = buildAsyncApiDocument();

  @Get('asyncapi.json')
  @Public()
  @ApiOperation({
    summary: 'The event catalog as an AsyncAPI 3 document: channels per stream category, JSON Schemas and examples per event type',
  })
  @ApiOkResponse({ description: 'AsyncAPI 3.0.0 document' })
  asyncApi() {
    return this.document;
  }
}
