import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { defineAggregate, route } from '../commands/aggregate';
import { RoutedCommand, RoutedCommandHandler } from '../commands/routed-command';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { USER_STREAM_PREFIX } from './access-registry';
import { userAccessDecider } from './user-access.decider';

/**
 * A user's credentials: `user-<id>`, started by the first credential issued. Refreshing or revoking one
 * token on an unknown user is answered by the decider (the token is unknown); revoking all of them is 404.
 */
export const USER_ACCESS = defineAggregate({
  streamName: (userId: string) => `${USER_STREAM_PREFIX}${userId}`,
  decider: userAccessDecider,
  notFound: { code: 'UserNotFound', unless: ['IssueCredentials', 'RefreshCredentials', 'RevokeAccessToken'] },
});

/** Core's route table for access: one aggregate per user. */
export const accessRoutes = () => ({ user: route(USER_ACCESS) });
export type AccessRoutes = ReturnType<typeof accessRoutes>;

/** One message on the CommandBus for every credential command. */
export class ExecuteAccessCommand extends RoutedCommand<AccessRoutes> {}

@CommandHandler(ExecuteAccessCommand)
export class AccessCommandHandler extends RoutedCommandHandler<AccessRoutes> {
  constructor(@Inject(EVENT_STORE) events: EventStore) {
    super(events, accessRoutes());
  }
}
