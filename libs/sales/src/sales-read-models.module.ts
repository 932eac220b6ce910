import { Module } from '@nestjs/common';
import { DocumentIndex } from './application/document-index';
import { OrdersQueriesController } from './http/orders-queries.controller';

/** Queries over the sales read models (order board, backlog) and the document index the command side looks up. */
@Module({ controllers: [OrdersQueriesController], providers: [DocumentIndex], exports: [DocumentIndex] })
export class SalesReadModelsModule {}
