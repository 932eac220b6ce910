import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { commandContextOf, EVENT_STORE, EventStore, executeCommand, ExecuteResult, loadState, RequestContext } from '@salesline/core';
import { CommandContext, CommandInput } from '@salesline/shared-kernel';
import { AccountCommand, accountDecider, AccountState, accountStream, exposureExcludingOrder } from '../domain/account';
import { CreditFacts } from '../domain/credit-check';

export type AccountCommandInput = CommandInput<AccountCommand>;

export type AccountCommandResult = ExecuteResult<AccountState>;

/** An account as read at one revision. */
export type LoadedAccount = Readonly<{ state: AccountState; revision: number; position: number }>;

/** Every command on a customer's account goes through this one message on the CommandBus. */
export class ExecuteAccountCommand extends Command<AccountCommandResult> {
  constructor(
    readonly customerId: string,
    readonly command: AccountCommandInput,
    readonly request: RequestContext,
  ) {
    super();
  }
}

/** Runs an account command: load `account-<customerId>`, decide, append with the expected revision. */
@Injectable()
export class CustomerAccounts {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  /** `loaded`: the account as the caller has just read it (load), so the command does not read it again. */
  execute(
    customerId: string,
    command: AccountCommandInput,
    request: RequestContext,
    context: CommandContext = commandContextOf(request),
    loaded?: LoadedAccount,
  ) {
    return executeCommand(this.events, {
      streamName: accountStream(customerId),
      decider: accountDecider,
      command: { ...command, context } as AccountCommand,
      request,
      loaded,
    });
  }

  /** The account with its revision: one read of the stream (its snapshot and the events after it). */
  load(customerId: string): Promise<LoadedAccount> {
    return loadState(this.events, accountStream(customerId), accountDecider);
  }

  async state(customerId: string): Promise<AccountState> {
    return (await this.load(customerId)).state;
  }

  /** The facts a credit check needs, with this order's own reservation left out. */
  async creditFacts(
    customerId: string,
    orderId: string,
    customer: { creditLimit: number; blocked: boolean },
    account?: AccountState,
  ): Promise<CreditFacts> {
    const state = account ?? (await this.state(customerId));
    return {
      creditLimit: customer.creditLimit,
      exposureBeforeOrder: exposureExcludingOrder(state, orderId),
      customerBlocked: customer.blocked,
    };
  }
}

@CommandHandler(ExecuteAccountCommand)
export class AccountCommandHandler implements ICommandHandler<ExecuteAccountCommand, AccountCommandResult> {
  constructor(private readonly accounts: CustomerAccounts) {}

  execute({ customerId, command, request }: ExecuteAccountCommand): Promise<AccountCommandResult> {
    return this.accounts.execute(customerId, command, request);
  }
}
