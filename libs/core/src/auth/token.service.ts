import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { Actor, Role } from '@salesline/shared-kernel';
import { AccessRegistry } from './access-registry';
import type { CredentialGrant, CredentialKind } from './user-access.decider';

export const TOKEN_ISSUER = 'salesline';
const API_KEY = /^slk_([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

export type TokenSettings = Readonly<{ accessTokenTtlSeconds: number; refreshTokenTtlSeconds: number }>;

/** A signed credential and the grant recorded for it (the credential itself is never stored). */
export type SignedCredential = { token: string; grant: CredentialGrant };

/** Why a bearer credential was refused: each is a 401 with this code. */
export type RefusalCode = 'InvalidToken' | 'TokenExpired' | 'TokenRevoked';

export type Authentication =
  { ok: true; actor: Actor; tokenId: string | null; kind: CredentialKind | 'admin' } | { ok: false; code: RefusalCode; message: string };

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Bearer credentials, all checked against the log on every request (AccessRegistry):
 * - access tokens: JWT (HS256, signed with TOKEN_SECRET via `jose`) with `sub`, `jti`, `iat`,
 *   `exp`, `iss=salesline`, `typ=access`; they carry no roles (roles are looked up);
 * - refresh tokens: the same JWT with `typ=refresh` and a longer life, only for POST /api/auth/refresh;
 * - API keys for integrations: `slk_<keyId>.<secret>`, stored as a SHA-256 hash, no expiry;
 * - the bootstrap admin token: ADMIN_TOKEN (or generated into DATA_DIR), replaceable at run time.
 */
export class TokenService {
  readonly adminToken: string;
  private readonly secret: Uint8Array;
  /** Set when this start generated the admin token (it is printed once). */
  readonly generatedAdminToken: boolean;
  private readonly adminFile: string;

  constructor(
    dataDir: string,
    adminToken: string | undefined,
    tokenSecret: string | undefined,
    readonly registry: AccessRegistry,
    readonly settings: TokenSettings,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.adminFile = join(dataDir, 'admin-token');
    if (adminToken) {
      this.adminToken = adminToken;
      this.generatedAdminToken = false;
    } else if (existsSync(this.adminFile)) {
      this.adminToken = readFileSync(this.adminFile, 'utf8').trim();
      this.generatedAdminToken = false;
    } else {
      this.adminToken = TokenService.newAdminToken();
      writeFileSync(this.adminFile, `${this.adminToken}\n`, { mode: 0o600 });
      this.generatedAdminToken = true;
    }
    const secretFile = join(dataDir, 'token-secret');
    let secret: string;
    if (tokenSecret) secret = tokenSecret;
    else if (existsSync(secretFile)) secret = readFileSync(secretFile, 'utf8').trim();
    else {
      secret = randomBytes(32).toString('hex');
      writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
    }
    this.secret = new TextEncoder().encode(secret);
  }

  static newAdminToken(): string {
    return `sl_admin_${randomBytes(24).toString('base64url')}`;
  }

  /** Keeps a copy of a rotated admin token beside the data (mode 600), so the operator can find it. */
  storeRotatedAdminToken(token: string): void {
    writeFileSync(this.adminFile, `${token}\n`, { mode: 0o600 });
  }

  async signJwt(userId: string, roles: Role[], kind: 'access' | 'refresh', now: Date): Promise<SignedCredential> {
    const tokenId = randomUUID();
    const ttl = kind === 'access' ? this.settings.accessTokenTtlSeconds : this.settings.refreshTokenTtlSeconds;
    const issuedAtSeconds = Math.floor(now.getTime() / 1000);
    const expiresAt = new Date((issuedAtSeconds + ttl) * 1000).toISOString();
    const token = await new SignJWT({ typ: kind })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setJti(tokenId)
      .setIssuer(TOKEN_ISSUER)
      .setIssuedAt(issuedAtSeconds)
      .setExpirationTime(issuedAtSeconds + ttl)
      .sign(this.secret);
    return { token, grant: { userId, roles, tokenId, issuedAt: now.toISOString(), kind, expiresAt } };
  }

  newApiKey(userId: string, roles: Role[], now: Date): SignedCredential {
    const tokenId = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    return {
      token: `slk_${tokenId}.${secret}`,
      grant: { userId, roles, tokenId, issuedAt: now.toISOString(), kind: 'api_key', expiresAt: null, keyHash: sha256(secret) },
    };
  }

  /** Checks a JWT's signature, issuer and expiry; the registry decides whether it still counts. */
  async verifyJwt(
    token: string,
    kind: 'access' | 'refresh',
  ): Promise<{ ok: true; userId: string; tokenId: string } | { ok: false; code: RefusalCode; message: string }> {
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
      });
      if (payload.typ !== kind || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') {
        return { ok: false, code: 'InvalidToken', message: `This is not an ${kind} token` };
      }
      return { ok: true, userId: payload.sub, tokenId: payload.jti };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired)
        return { ok: false, code: 'TokenExpired', message: 'The token has expired; refresh it or ask for a new one' };
      return { ok: false, code: 'InvalidToken', message: 'The bearer token is not valid' };
    }
  }

  /** Who presents this bearer credential, as the log says right now. */
  async authenticate(token: string): Promise<Authentication> {
    await this.registry.refresh();
    const rotated = this.registry.currentAdminTokenHash();
    if (rotated ? safeEqual(sha256(token), rotated) : safeEqual(token, this.adminToken)) {
      return { ok: true, actor: { userId: 'admin', roles: ['admin'] }, tokenId: null, kind: 'admin' };
    }
    const apiKey = API_KEY.exec(token);
    if (apiKey) {
      const credential = this.registry.credential(apiKey[1]);
      if (!credential || credential.kind !== 'api_key' || !credential.keyHash || !safeEqual(sha256(apiKey[2]), credential.keyHash)) {
        return { ok: false, code: 'InvalidToken', message: 'The API key is not valid' };
      }
      if (!this.registry.activeCredential(apiKey[1])) return { ok: false, code: 'TokenRevoked', message: 'The API key has been revoked' };
      return {
        ok: true,
        actor: { userId: credential.userId, roles: this.registry.rolesOf(credential.userId) },
        tokenId: credential.tokenId,
        kind: 'api_key',
      };
    }
    const verified = await this.verifyJwt(token, 'access');
    if (!verified.ok) return verified;
    const credential = this.registry.credential(verified.tokenId);
    if (!credential || credential.userId !== verified.userId || credential.kind !== 'access') {
      return { ok: false, code: 'InvalidToken', message: 'The bearer token is not valid' };
    }
    if (!this.registry.activeCredential(verified.tokenId))
      return { ok: false, code: 'TokenRevoked', message: 'The token has been revoked' };
    return {
      ok: true,
      actor: { userId: verified.userId, roles: this.registry.rolesOf(verified.userId) },
      tokenId: verified.tokenId,
      kind: 'access',
    };
  }

  /** A key for another purpose (e.g. encrypting webhook secrets), derived from the deployment's token secret. */
  derivedKey(purpose: string): Buffer {
    return createHmac('sha256', this.secret).update(`salesline-derived-key:${purpose}`).digest();
  }
}
