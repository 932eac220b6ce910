import { Inject } from '@nestjs/common';
import { Command as BusMessage, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { commandContextOf, EVENT_STORE, EventStore, executeCommand, RequestContext } from '@salesline/core';
import { CustomerFiles } from '@salesline/customers';
import { PriceBook } from '@salesline/pricing';
import { CommandContext } from '@salesline/shared-kernel';
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

export type QuoteCommandResult = {
  id: string;
  position: number;
  replayed: boolean;
  /** Did this request (or the first one with its Idempotency-Key) record anything? */
  changed: boolean;
  quote: QuoteState;
};

/** One message on the CommandBus for every quote command. */
export class ExecuteQuoteCommand extends BusMessage<QuoteCommandResult> {
  constructor(
    readonly quoteId: string,
    readonly command: QuoteCommandInput,
    readonly request: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(ExecuteQuoteCommand)
export class QuoteCommandHandler implements ICommandHandler<ExecuteQuoteCommand, QuoteCommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly priceBook: PriceBook,
    private readonly customers: CustomerFiles,
    private readonly settings: SalesSettingsService,
  ) {}

  async execute({ quoteId, command, request }: ExecuteQuoteCommand): Promise<QuoteCommandResult> {
    const result = await executeCommand(this.events, {
      streamName: quoteStream(quoteId),
      decider: quoteDecider,
      // The command is built by `prepare`, once the state is known (and never for an idempotent replay).
      command: undefined as unknown as QuoteCommand,
      prepare: (state) => this.withFacts(command, state, commandContextOf(request)),
      request,
      notFoundCode: command.type === 'IssueQuote' ? undefined : 'QuoteNotFound',
    });
    return { id: quoteId, position: result.position, replayed: result.replayed, changed: result.events.length > 0, quote: result.state };
  }

  private async withFacts(input: QuoteCommandInput, state: QuoteState, context: CommandContext): Promise<QuoteCommand> {
    switch (input.type) {
      case 'IssueQuote': {
        const settings = await this.settings.current();
        const lines = await this.priceLines(input.data.customerId, input.data.quoteDate, input.data.lines);
        return { type: 'IssueQuote', data: { ...input.data, lines, settings: pricingSettings(settings) }, context };
      }
      case 'ReviseQuote': {
        // A revision is priced on its own business date (revisedOn, default today) for the quote's customer.
        const customerId = state.status === 'none' ? '' : state.customerId;
        const settings = await this.settings.current();
        const lines = await this.priceLines(customerId, input.data.revisedOn ?? context.today, input.data.lines);
        return { type: 'ReviseQuote', data: { ...input.data, lines, settings: pricingSettings(settings) }, context };
      }
      case 'ApproveQuotePriceOverride': {
        const { maxDiscountBpByRole } = await this.settings.current();
        return { type: input.type, data: { ...input.data, settings: { maxDiscountBpByRole } }, context };
      }
      case 'ConvertQuote': {
        const { allowConvertExpiredQuote } = await this.settings.current();
        return { type: input.type, data: { ...input.data, settings: { allowConvertExpiredQuote } }, context };
      }
      default:
        return { ...input, context };
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
