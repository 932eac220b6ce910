import { Module } from '@nestjs/common';

/** Queries over the sales read models (order board, backlog). */
@Module({ controllers: [], providers: [] })
export class SalesReadModelsModule {}
