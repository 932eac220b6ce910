import { Module } from '@nestjs/common';

/** Targets and budgets, sales expenses, sales plans and the sales-progress report. */
@Module({ controllers: [], providers: [] })
export class TargetsModule {}
