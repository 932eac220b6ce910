import { Module } from '@nestjs/common';
import { IntegrityController } from './http/integrity.controller';

/** What auditors and downstream systems read: the log's integrity, timelines, the feed and webhooks. */
@Module({
  controllers: [IntegrityController],
})
export class AuditModule {}
