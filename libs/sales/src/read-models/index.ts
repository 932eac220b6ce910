import { AnyProjection } from '@salesline/core';
import { backlogProjection } from './backlog.projection';
import { documentIndexProjection } from './document-index.projection';
import { orderBoardProjection } from './order-board.projection';
import { quotesProjection } from './quotes.projection';

/** The sales read models: this context's one registration, run by every deployment (`@salesline/composition`). */
export const salesProjections: AnyProjection[] = [orderBoardProjection, backlogProjection, documentIndexProjection, quotesProjection];

export * from './order-board.projection';
export * from './order-totals';
export * from './backlog.projection';
export * from './document-index.projection';
export * from './quotes.projection';
export * from './order-state.documentation';
