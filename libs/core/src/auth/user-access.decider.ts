import { Command, Decider, DomainEvent, Role } from '@salesline/shared-kernel';

type AccessGrant = { userId: string; roles: Role[]; tokenId: string; issuedAt: string };
export type IssueAccessToken = Command<'IssueAccessToken', AccessGrant>;
export type AccessTokenIssued = DomainEvent<'AccessTokenIssued', AccessGrant>;
export type UserAccess = { grants: number };

/** The `user-<id>` stream: every token granted to a user, so auditors can see who could act. */
export const userAccessDecider: Decider<UserAccess, IssueAccessToken, AccessTokenIssued> = {
  initialState: () => ({ grants: 0 }),
  decide: (command) => [{ type: 'AccessTokenIssued', data: command.data }],
  evolve: (state) => ({ grants: state.grants + 1 }),
};
