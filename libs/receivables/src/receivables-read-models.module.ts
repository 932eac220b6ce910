import { Module } from '@nestjs/common';

/** Queries over the receivables read model (aging, exposure, company totals). */
@Module({ controllers: [], providers: [] })
export class ReceivablesReadModelsModule {}
