import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Actor, Role, ROLES } from '@salesline/shared-kernel';

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

export type IssuedToken = { token: string; tokenId: string; userId: string; roles: Role[]; issuedAt: string };

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Bearer tokens. The bootstrap admin token comes from ADMIN_TOKEN or, when unset, is generated
 * once into DATA_DIR. User tokens are signed (HMAC-SHA256) claims {sub, roles}, so any API
 * replica sharing TOKEN_SECRET can verify them without a session store.
 */
export class TokenService {
  readonly adminToken: string;
  private readonly secret: Buffer;
  /** Set when this start generated the admin token (it is printed once). */
  readonly generatedAdminToken: boolean;

  constructor(dataDir: string, adminToken: string | undefined, tokenSecret: string | undefined) {
    mkdirSync(dataDir, { recursive: true });
    const adminFile = join(dataDir, 'admin-token');
    if (adminToken) {
      this.adminToken = adminToken;
      this.generatedAdminToken = false;
    } else if (existsSync(adminFile)) {
      this.adminToken = readFileSync(adminFile, 'utf8').trim();
      this.generatedAdminToken = false;
    } else {
      this.adminToken = `sl_admin_${randomBytes(24).toString('base64url')}`;
      writeFileSync(adminFile, `${this.adminToken}\n`, { mode: 0o600 });
      this.generatedAdminToken = true;
    }
    const secretFile = join(dataDir, 'token-secret');
    if (tokenSecret) this.secret = Buffer.from(tokenSecret);
    else if (existsSync(secretFile)) this.secret = Buffer.from(readFileSync(secretFile, 'utf8').trim());
    else {
      const generated = randomBytes(32).toString('hex');
      writeFileSync(secretFile, `${generated}\n`, { mode: 0o600 });
      this.secret = Buffer.from(generated);
    }
  }

  issue(userId: string, roles: Role[], now: Date): IssuedToken {
    const tokenId = randomUUID();
    const issuedAt = now.toISOString();
    const payload = b64url(JSON.stringify({ sub: userId, roles, iat: issuedAt, jti: tokenId }));
    return { token: `sl_${payload}.${this.sign(payload)}`, tokenId, userId, roles, issuedAt };
  }

  verify(token: string): Actor | null {
    if (safeEqual(token, this.adminToken)) return { userId: 'admin', roles: ['admin'] };
    const match = /^sl_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
    if (!match || !safeEqual(match[2], this.sign(match[1]))) return null;
    try {
      const claims = JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8')) as { sub?: unknown; roles?: unknown };
      if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) return null;
      const roles = claims.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r as string));
      return { userId: claims.sub, roles };
    } catch {
      return null;
    }
  }

  /** A key for another purpose (e.g. encrypting webhook secrets), derived from the deployment's token secret. */
  derivedKey(purpose: string): Buffer {
    return createHmac('sha256', this.secret).update(`salesline-derived-key:${purpose}`).digest();
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
