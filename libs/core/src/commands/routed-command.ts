import { Command as BusMessage, ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '../event-store/event-store.port';
import { dispatch, RouteState, RouteTable, RouteTarget, RunOptions } from './aggregate';
import { ExecuteResult } from './execute-command';
import { RequestContext } from './request-context';

/** What every command answers: the events it appended (or replayed), the position after them, the aggregate's state. */
export type CommandResult<State = unknown> = ExecuteResult<State>;

/**
 * A context's one message on the CommandBus (the NestJS CQRS sample's command): a target of its route
 * table (kind, id, the caller's input) and the request. `class ExecuteCustomerCommand extends RoutedCommand<CustomerRoutes> {}`.
 */
export abstract class RoutedCommand<R extends RouteTable> extends BusMessage<CommandResult<RouteState<R>>> {
  constructor(
    readonly target: RouteTarget<R>,
    readonly request: RequestContext,
    /** `loaded`: the aggregate as the sender has just read it, so the command does not read it again. */
    readonly options?: RunOptions<RouteState<R>>,
  ) {
    super();
  }
}

/**
 * A context's one handler: sends the target to its route. A subclass declares `@CommandHandler(Message)`,
 * injects the event store and what its facts loaders read, and hands its route table to `super`.
 */
export abstract class RoutedCommandHandler<R extends RouteTable> implements ICommandHandler<
  RoutedCommand<R>,
  CommandResult<RouteState<R>>
> {
  constructor(
    protected readonly store: EventStore,
    protected readonly routes: R,
  ) {}

  execute({ target, request, options }: RoutedCommand<R>): Promise<CommandResult<RouteState<R>>> {
    return dispatch(this.store, this.routes, target, request, options);
  }
}
