import { Command, conflict, Decider, DomainEvent, notFound, Role } from '@salesline/shared-kernel';

/**
 * The `user-<id>` stream: every credential granted to a user and every revocation, so auditors
 * can see who could act when, and every API replica can rebuild the same access picture from
 * the log (see AccessRegistry). The roles of a user are those of their latest grant.
 */
export type CredentialKind = 'access' | 'refresh' | 'api_key';

export type CredentialGrant = {
  userId: string;
  roles: Role[];
  tokenId: string;
  issuedAt: string;
  /** Absent on grants recorded before tokens expired (they are no longer accepted). */
  kind?: CredentialKind;
  /** null: does not expire (API keys). */
  expiresAt?: string | null;
  /** API keys only: SHA-256 of the secret part; the key itself is never stored. */
  keyHash?: string;
};

export type IssueCredentials = Command<'IssueCredentials', { grants: CredentialGrant[] }>;
/** Trade a refresh token for a new pair; the old refresh token is revoked in the same append. */
export type RefreshCredentials = Command<'RefreshCredentials', { refreshTokenId: string; grants: CredentialGrant[]; refreshedAt: string }>;
export type RevokeAccessToken = Command<'RevokeAccessToken', { userId: string; tokenId: string; revokedAt: string }>;
export type RevokeAllAccessTokens = Command<'RevokeAllAccessTokens', { userId: string; revokedAt: string }>;
export type UserAccessCommand = IssueCredentials | RefreshCredentials | RevokeAccessToken | RevokeAllAccessTokens;

export type AccessTokenIssued = DomainEvent<'AccessTokenIssued', CredentialGrant>;
export type AccessTokenRevoked = DomainEvent<
  'AccessTokenRevoked',
  { userId: string; tokenId: string; revokedAt: string; reason: 'revoked' | 'rotated' }
>;
export type AllAccessTokensRevoked = DomainEvent<'AllAccessTokensRevoked', { userId: string; revokedAt: string }>;
export type UserAccessEvent = AccessTokenIssued | AccessTokenRevoked | AllAccessTokensRevoked;

export type UserAccess = {
  grants: number;
  /** tokenId → its kind and whether it still works. Mutated in place by evolve (linear fold). */
  credentials: Map<string, { kind: CredentialKind; active: boolean }>;
};

export const userAccessDecider: Decider<UserAccess, UserAccessCommand, UserAccessEvent> = {
  initialState: () => ({ grants: 0, credentials: new Map() }),
  decide: (command, state) => {
    switch (command.type) {
      case 'IssueCredentials':
        return command.data.grants.map((grant) => ({ type: 'AccessTokenIssued', data: grant }));
      case 'RefreshCredentials': {
        const refresh = state.credentials.get(command.data.refreshTokenId);
        if (!refresh || refresh.kind !== 'refresh' || !refresh.active) {
          // The HTTP layer answers 401 for unknown tokens first; this is the race of two refreshes.
          throw conflict('RefreshTokenUsed', 'The refresh token was used or revoked already');
        }
        const userId = command.data.grants[0]?.userId ?? '';
        return [
          {
            type: 'AccessTokenRevoked',
            data: { userId, tokenId: command.data.refreshTokenId, revokedAt: command.data.refreshedAt, reason: 'rotated' },
          },
          ...command.data.grants.map((grant): AccessTokenIssued => ({ type: 'AccessTokenIssued', data: grant })),
        ];
      }
      case 'RevokeAccessToken': {
        const credential = state.credentials.get(command.data.tokenId);
        if (!credential) throw notFound('TokenNotFound', `Token ${command.data.tokenId} does not exist`);
        if (!credential.active) return []; // revoking twice changes nothing
        return [{ type: 'AccessTokenRevoked', data: { ...command.data, reason: 'revoked' } }];
      }
      case 'RevokeAllAccessTokens':
        return [{ type: 'AllAccessTokensRevoked', data: command.data }];
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'AccessTokenIssued':
        state.credentials.set(event.data.tokenId, { kind: event.data.kind ?? 'access', active: true });
        return { ...state, grants: state.grants + 1 };
      case 'AccessTokenRevoked': {
        const credential = state.credentials.get(event.data.tokenId);
        if (credential) credential.active = false;
        return state;
      }
      case 'AllAccessTokensRevoked':
        for (const credential of state.credentials.values()) credential.active = false;
        return state;
    }
  },
};
