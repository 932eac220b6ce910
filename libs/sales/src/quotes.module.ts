import { Module } from '@nestjs/common';

/** Quotes: issue, revise, accept, reject, expire, convert. */
@Module({ controllers: [], providers: [] })
export class QuotesModule {}
