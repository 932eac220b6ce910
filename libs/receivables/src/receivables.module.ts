import { Module } from '@nestjs/common';

/** The customer account: deposits, payments and allocations, refusals, write-offs. */
@Module({ controllers: [], providers: [], exports: [] })
export class ReceivablesModule {}
