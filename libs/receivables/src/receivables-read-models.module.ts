import { Module } from '@nestjs/common';
import { ReceivablesController } from './http/receivables.controller';

/** Queries over the receivables read model (aging, exposure, company totals). */
@Module({ controllers: [ReceivablesController], providers: [] })
export class ReceivablesReadModelsModule {}
