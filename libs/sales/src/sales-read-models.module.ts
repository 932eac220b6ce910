import { Module } from '@nestjs/common';
import { DocumentIndex } from './application/document-index';
import { OrderBoardChangesController } from './http/order-board-changes.controller';
import { OrdersQueriesController } from './http/orders-queries.controller';

/** Queries over the sales read models (order board, its live changes, backlog) and the document index the command side looks up. */
@Module({ controllers: [OrdersQueriesController, OrderBoardChangesController], providers: [DocumentIndex], exports: [DocumentIndex] })
export class SalesReadModelsModule {}
