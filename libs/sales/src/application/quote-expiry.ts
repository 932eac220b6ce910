import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { READ_STORE, ReadStore, ReadYourWrites, RequestContext } from '@salesline/core';
import { QuoteDoc, quotesProjection } from '../read-models/quotes.projection';
import { ExecuteQuoteCommand } from './quote-commands';

/** At most this many quotes per sweep; the caller sweeps again while some expire. */
export const EXPIRY_SWEEP_BATCH = 500;

/**
 * The expiry sweep (ADR 0103): every open or accepted quote whose validUntil lies before today
 * gets ExpireQuote. The read model only nominates candidates; the decider re-checks each one on
 * its own stream, so a stale candidate is a no-op.
 */
@Injectable()
export class QuoteExpiry {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async sweep(ctx: RequestContext): Promise<string[]> {
    await this.readYourWrites.catchUp([quotesProjection.name]);
    const due = await this.readStore.find<QuoteDoc>(
      quotesProjection.collection,
      { status: { $in: ['open', 'accepted'] }, validUntil: { $lt: ctx.today } },
      { sort: { validUntil: 1, id: 1 }, limit: EXPIRY_SWEEP_BATCH },
    );
    const expired: string[] = [];
    for (const quote of due) {
      const result = await this.commandBus.execute(
        new ExecuteQuoteCommand({ kind: 'quote', id: quote.id, command: { type: 'ExpireQuote', data: {} } }, ctx),
      );
      if (result.events.length > 0) expired.push(quote.id);
    }
    return expired;
  }
}
