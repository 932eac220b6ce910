import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { defineAggregate, EVENT_STORE, EventStore, route, RoutedCommand, RoutedCommandHandler } from '@salesline/core';
import { CustomerFiles } from '@salesline/customers';
import { PriceBook } from '@salesline/pricing';
import { CommandInput } from '@salesline/shared-kernel';
import { QuoteCommand, quoteDecider, QuoteLineInput, QuoteState, quoteStream } from '../domain/quote';
import { SalesSettings } from '../domain/settings';
import { quoteLineInput, RequestedQuoteLine } from './quote-lines';
import { SalesSettingsService } from './sales-settings';

/**
 * Quote commands as the HTTP layer gives them: without context, settings or priced lines; the
 * handler adds those facts when it decides (ADR 0100).
 */
export type QuoteCommandInput =
  | {
      type: 'IssueQuote';
      data: {
        quoteId: string;
        customerId: string;
        salespersonId: string;
        quoteDate: string;
        validUntil: string | null;
        lines: RequestedQuoteLine[];
      };
    }
  | { type: 'ReviseQuote'; data: { validUntil: string | null; revisedOn?: string; lines: RequestedQuoteLine[] } }
  | { type: 'ApproveQuotePriceOverride'; data: { overrideId: string; reason: string; approvedOn?: string } }
  | { type: 'RejectQuotePriceOverride'; data: { overrideId: string; reason: string; rejectedOn?: string } }
  | { type: 'AcceptQuote'; data: { acceptedOn?: string } }
  | { type: 'RejectQuote'; data: { reason: string; rejectedOn?: string } }
  | { type: 'ExpireQuote'; data: Record<string, never> }
  | { type: 'ConvertQuote'; data: { orderId: string; convertedOn?: string } };

/** The quote aggregate: `quote-<id>`, started by IssueQuote. */
export const QUOTE = defineAggregate({
  streamName: quoteStream,
  decider: quoteDecider,
  notFound: { code: 'QuoteNotFound', unless: ['IssueQuote'] },
});

/** The quotes' route table: lines priced and settings read just before deciding (ADR 0100). */
export const quoteRoutes = (priceBook: PriceBook, customers: CustomerFiles, settings: SalesSettingsService) => {
  const facts = new QuoteFacts(priceBook, customers, settings);
  return { quote: route(QUOTE, (input: QuoteCommandInput, state, { request }) => facts.withFacts(input, state, request.today)) };
};
export type QuoteRoutes = ReturnType<typeof quoteRoutes>;

/** One message on the CommandBus for every quote command. */
export class ExecuteQuoteCommand extends RoutedCommand<QuoteRoutes> {}

@CommandHandler(ExecuteQuoteCommand)
export class QuoteCommandHandler extends RoutedCommandHandler<QuoteRoutes> {
  constructor(@Inject(EVENT_STORE) events: EventStore, priceBook: PriceBook, customers: CustomerFiles, settings: SalesSettingsService) {
    super(events, quoteRoutes(priceBook, customers, settings));
  }
}

class QuoteFacts {
  constructor(
    private readonly priceBook: PriceBook,
    private readonly customers: CustomerFiles,
    private readonly settings: SalesSettingsService,
  ) {}

  async withFacts(input: QuoteCommandInput, state: QuoteState, today: string): Promise<CommandInput<QuoteCommand>> {
    switch (input.type) {
      case 'IssueQuote': {
        const settings = await this.settings.current();
        const lines = await this.priceLines(input.data.customerId, input.data.quoteDate, input.data.lines);
        return { type: 'IssueQuote', data: { ...input.data, lines, settings: pricingSettings(settings) } };
      }
      case 'ReviseQuote': {
        // A revision is priced on its own business date (revisedOn, default today) for the quote's customer.
        const customerId = state.status === 'none' ? '' : state.customerId;
        const settings = await this.settings.current();
        const lines = await this.priceLines(customerId, input.data.revisedOn ?? today, input.data.lines);
        return { type: 'ReviseQuote', data: { ...input.data, lines, settings: pricingSettings(settings) } };
      }
      case 'ApproveQuotePriceOverride': {
        const { maxDiscountBpByRole } = await this.settings.current();
        return { type: input.type, data: { ...input.data, settings: { maxDiscountBpByRole } } };
      }
      case 'ConvertQuote': {
        const { allowConvertExpiredQuote } = await this.settings.current();
        return { type: input.type, data: { ...input.data, settings: { allowConvertExpiredQuote } } };
      }
      default:
        return input;
    }
  }

  private async priceLines(customerId: string, date: string, lines: readonly RequestedQuoteLine[]): Promise<QuoteLineInput[]> {
    const customer = await this.customers.load(customerId);
    const priced = await this.priceBook.prices(
      lines.map((line) => ({
        customerId,
        customerGroup: customer.customerGroup,
        productId: line.productId,
        quantity: line.quantity,
        date,
      })),
    );
    return lines.map((line, index) => quoteLineInput(line, index, priced[index]));
  }
}

const pricingSettings = ({ maxDiscountBpByRole, quoteValidityDays }: SalesSettings) => ({ maxDiscountBpByRole, quoteValidityDays });
