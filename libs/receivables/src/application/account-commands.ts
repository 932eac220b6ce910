import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { defineAggregate, EVENT_STORE, EventStore, loadState } from '@salesline/core';
import { route, RouteTarget, RoutedCommand, RoutedCommandHandler } from '@salesline/core';
import { accountDecider, AccountState, accountStream, exposureExcludingOrder } from '../domain/account';
import { CreditFacts } from '../domain/credit-check';

/**
 * A customer's account: `account-<customerId>`. Any command may start it (a deposit before the first
 * invoice, a reservation for the first order); the HTTP layer checks that the customer exists.
 */
export const ACCOUNT = defineAggregate({ streamName: accountStream, decider: accountDecider });

/** The receivables route table: the account's commands carry every fact they need. */
export const accountRoutes = () => ({ account: route(ACCOUNT) });
export type AccountRoutes = ReturnType<typeof accountRoutes>;
export type AccountTarget = RouteTarget<AccountRoutes>;

/** One message on the CommandBus for every command on a customer's account (HTTP, and the order-to-account process). */
export class ExecuteAccountCommand extends RoutedCommand<AccountRoutes> {}

@CommandHandler(ExecuteAccountCommand)
export class AccountCommandHandler extends RoutedCommandHandler<AccountRoutes> {
  constructor(@Inject(EVENT_STORE) events: EventStore) {
    super(events, accountRoutes());
  }
}

/** An account as read at one revision. */
export type LoadedAccount = Readonly<{ state: AccountState; revision: number; position: number }>;

/** Reads a customer's account straight from its stream (the read side of the commands above, for other contexts' facts). */
@Injectable()
export class CustomerAccounts {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  /** The account with its revision: one read of the stream (its snapshot and the events after it). */
  load(customerId: string): Promise<LoadedAccount> {
    return loadState(this.events, accountStream(customerId), accountDecider);
  }

  /** The facts a credit check needs, with this order's own reservation left out. */
  async creditFacts(
    customerId: string,
    orderId: string,
    customer: { creditLimit: number; blocked: boolean },
    account?: AccountState,
  ): Promise<CreditFacts> {
    const state = account ?? (await this.load(customerId)).state;
    return {
      creditLimit: customer.creditLimit,
      exposureBeforeOrder: exposureExcludingOrder(state, orderId),
      customerBlocked: customer.blocked,
    };
  }
}
