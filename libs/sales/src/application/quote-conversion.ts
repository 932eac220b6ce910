import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, loadState, RequestContext } from '@salesline/core';
import { deterministicId, DomainError } from '@salesline/shared-kernel';
import { orderDecider, orderStream } from '../domain/order';
import { orderLinesFromQuote, quoteDecider, QuoteState, quoteStream } from '../domain/quote';
import { ExecuteOrderCommand, orderAnswerStatus } from './order-commands';
import { ExecuteQuoteCommand } from './quote-commands';

/** A quote once QuoteConverted is recorded: it names its order. */
type ConvertedQuote = Exclude<QuoteState, { status: 'none' }> & { orderId: string };
/** `status`: the status of the order the conversion placed (on credit hold, awaiting price approval, …). */
export type QuoteConversionResult = { id: string; orderId: string; position: number; status: string };

/** The order a quote converts into: derived from the quote, so every retry addresses the same order. */
export const orderIdForQuote = (quoteId: string) => deterministicId(`order-from-quote:${quoteId}`);

const isDomainError = (err: unknown, code: string) => err instanceof DomainError && err.code === code;

/**
 * Quote → order (ADR 0103): QuoteConverted on the quote stream first, then the order is placed
 * with the quote's lines and approvals. Two appends on two streams, so each step tolerates having
 * happened already: a retry after a crash between them places the recorded order, and placing an
 * order that exists (OrderAlreadyPlaced) is done.
 */
@Injectable()
export class QuoteConversion {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  async convert(quoteId: string, ctx: RequestContext, orderDate: string = ctx.today): Promise<QuoteConversionResult> {
    const converted = await this.markConverted(quoteId, ctx, orderDate);
    const placed = await this.placeOrder(converted.quote, ctx, orderDate);
    const status =
      placed.status ?? orderAnswerStatus((await loadState(this.events, orderStream(converted.quote.orderId), orderDecider)).state);
    return { id: quoteId, orderId: converted.quote.orderId, position: Math.max(converted.position, placed.position), status };
  }

  private async markConverted(
    quoteId: string,
    ctx: RequestContext,
    convertedOn: string,
  ): Promise<{ quote: ConvertedQuote; position: number }> {
    try {
      const result = await this.commandBus.execute(
        new ExecuteQuoteCommand(
          { kind: 'quote', id: quoteId, command: { type: 'ConvertQuote', data: { orderId: orderIdForQuote(quoteId), convertedOn } } },
          ctx,
        ),
      );
      return { quote: result.state as ConvertedQuote, position: result.position };
    } catch (err) {
      if (!isDomainError(err, 'QuoteAlreadyConverted')) throw err;
      const { state, position } = await loadState(this.events, quoteStream(quoteId), quoteDecider);
      return { quote: state as ConvertedQuote, position };
    }
  }

  /** The position of the order's last event and its status, or 0 and null when it was placed by an earlier attempt. */
  private async placeOrder(
    quote: ConvertedQuote,
    ctx: RequestContext,
    orderDate: string,
  ): Promise<{ position: number; status: string | null }> {
    const lines = orderLinesFromQuote(quote).map(({ lineId, productId, quantity, unitPrice, preApproved, freeOfCharge }) => ({
      lineId,
      productId,
      quantity,
      unitPrice,
      preApproved,
      freeOfCharge: freeOfCharge ?? null,
    }));
    try {
      const order = {
        orderId: quote.orderId,
        customerId: quote.customerId,
        orderDate,
        quoteId: quote.quoteId,
        salesCredit: [{ salespersonId: quote.salespersonId, shareBp: 10_000 }],
        lines,
      };
      const placed = await this.commandBus.execute(
        new ExecuteOrderCommand({ kind: 'order', id: quote.orderId, command: { type: 'PlaceOrder', data: order } }, ctx),
      );
      return { position: placed.position, status: orderAnswerStatus(placed.state) };
    } catch (err) {
      if (isDomainError(err, 'OrderAlreadyPlaced')) return { position: 0, status: null };
      throw err;
    }
  }
}
