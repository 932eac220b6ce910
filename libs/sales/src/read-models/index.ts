import { AnyProjection } from '@salesline/core';

/** The sales read models (order board, backlog, quotes, document index). */
export const salesProjections: AnyProjection[] = [];
