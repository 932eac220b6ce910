import { INestApplication } from '@nestjs/common';
import { loadConfig } from '@salesline/core';
import { SignJWT } from 'jose';
import { createApp } from '@salesline/api/create-app';
import { httpClient, HttpClient } from './support/http';
import { ADMIN_TOKEN, RunningApp, startInProcessApp } from './support/in-process-app';
import { acme } from './support/fixtures';

const TOKEN_SECRET = 'e2e-token-secret-0123456789abcdef';
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Long enough that a loaded CI machine does not expire a token mid-test, short enough to wait out once. */
const ACCESS_TTL_SECONDS = 15;

describe('Tokens that expire and can be revoked, on every replica at once', () => {
  let first: RunningApp;
  let secondApp: INestApplication;
  let second: HttpClient;
  let adminToken = ADMIN_TOKEN;

  beforeAll(async () => {
    first = await startInProcessApp({
      TOKEN_SECRET,
      ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL_SECONDS),
      REFRESH_TOKEN_TTL_SECONDS: '600',
    });
    // A second API replica on the same stores, without its own projections.
    secondApp = await createApp(
      loadConfig({
        DATA_DIR: first.dataDir,
        ADMIN_TOKEN,
        TOKEN_SECRET,
        LOG_LEVEL: 'silent',
        PROJECTIONS: 'off',
        ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL_SECONDS),
      }),
    );
    await secondApp.listen(0, '127.0.0.1');
    second = httpClient(`http://127.0.0.1:${(secondApp.getHttpServer().address() as { port: number }).port}`);
  });
  afterAll(async () => {
    await secondApp?.close();
    await first?.close();
  });

  const issue = async (userId: string, ...roles: string[]) => {
    const res = await first.http.post('/api/auth/tokens', { userId, roles }, adminToken);
    expect(res.status).toBe(201);
    return res.body as { token: string; tokenId: string; refreshToken: string; refreshTokenId: string; expiresAt: string };
  };
  const whoCanRegister = (http: HttpClient, token: string) => http.post('/api/customers', { ...acme, name: `C ${Math.random()}` }, token);

  it('issues a JWT (HS256) with sub, jti, iat, exp and no roles; roles are looked up on every request', async () => {
    const issued = await issue('fiona', 'finance');
    const [header] = issued.token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    const claims = claimsOf(issued.token);
    expect(claims).toMatchObject({ sub: 'fiona', jti: issued.tokenId, iss: 'salesline', typ: 'access' });
    expect(claims.exp - claims.iat).toBe(ACCESS_TTL_SECONDS);
    expect(claims.roles).toBeUndefined();
    expect((await whoCanRegister(first.http, issued.token)).status).toBe(201);
    // Re-issuing with fewer roles takes them from the old token too.
    await issue('fiona', 'auditor');
    const refused = await whoCanRegister(second, issued.token);
    expect([refused.status, refused.body.code]).toEqual([403, 'RoleRequired']);
  });

  it('revokes one token at once on every replica, and records it as an event', async () => {
    const a = await issue('greta', 'finance');
    const b = await issue('greta', 'finance');
    const revoked = await first.http.post(`/api/auth/tokens/${a.tokenId}/revoke`, undefined, adminToken);
    expect(revoked.status).toBe(200);
    for (const http of [first.http, second]) {
      const res = await whoCanRegister(http, a.token);
      expect([res.status, res.body.code]).toEqual([401, 'TokenRevoked']);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect((await whoCanRegister(http, b.token)).status).toBe(201);
    }
    const stream = await first.http.get('/api/streams/user-greta', adminToken);
    expect(stream.body.events.map((e: { type: string }) => e.type)).toContain('AccessTokenRevoked');
    // Someone else's token cannot be revoked, nor even learned of.
    const other = await issue('hugo', 'salesperson');
    expect((await second.post(`/api/auth/tokens/${b.tokenId}/revoke`, undefined, other.token)).status).toBe(404);
    // A user may revoke their own.
    expect((await second.post(`/api/auth/tokens/${b.tokenId}/revoke`, undefined, b.token)).status).toBe(200);
    expect((await whoCanRegister(first.http, b.token)).status).toBe(401);
  });

  it('revokes every credential of a user at once; credentials issued afterwards work', async () => {
    const a = await issue('ida', 'finance');
    const key = await first.http.post('/api/auth/api-keys', { userId: 'ida', roles: ['finance'] }, adminToken);
    expect(key.status).toBe(201);
    expect((await whoCanRegister(second, key.body.apiKey)).status).toBe(201);
    expect((await second.post('/api/auth/users/ida/revoke-all', undefined, adminToken)).status).toBe(200);
    for (const token of [a.token, key.body.apiKey]) {
      for (const http of [first.http, second]) expect((await whoCanRegister(http, token)).status).toBe(401);
    }
    const refreshed = await first.http.post('/api/auth/refresh', { refreshToken: a.refreshToken });
    expect(refreshed.status).toBe(401);
    const later = await issue('ida', 'finance');
    expect((await whoCanRegister(second, later.token)).status).toBe(201);
  });

  it('expires access tokens; a refresh token (single use) gives a new pair with the current roles', async () => {
    const issued = await issue('jan', 'finance');
    await sleep(ACCESS_TTL_SECONDS * 1000 + 1100);
    const expired = await whoCanRegister(first.http, issued.token);
    expect([expired.status, expired.body.code]).toEqual([401, 'TokenExpired']);
    const refreshed = await second.post('/api/auth/refresh', { refreshToken: issued.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await whoCanRegister(first.http, refreshed.body.token)).status).toBe(201);
    const reused = await first.http.post('/api/auth/refresh', { refreshToken: issued.refreshToken });
    expect([reused.status, reused.body.code]).toEqual([401, 'TokenRevoked']);
    // An access token is not a refresh token, nor the other way round.
    expect((await first.http.post('/api/auth/refresh', { refreshToken: refreshed.body.token })).status).toBe(401);
    expect((await whoCanRegister(first.http, refreshed.body.refreshToken)).status).toBe(401);
  }, 45_000);

  it('refuses reserved user ids and forged tokens', async () => {
    for (const userId of ['admin', 'Admin', 'system', 'system-projector', 'system_x']) {
      const res = await first.http.post('/api/auth/tokens', { userId, roles: ['finance'] }, adminToken);
      expect([userId, res.status]).toEqual([userId, 400]);
    }
    const now = Math.floor(Date.now() / 1000);
    const wrongKey = await new SignJWT({ typ: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('fiona')
      .setJti('00000000-0000-4000-8000-000000000000')
      .setIssuer('salesline')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(new TextEncoder().encode('not-the-secret'));
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'fiona', typ: 'access', exp: now + 60 })).toString('base64url')}.`;
    // Signed with the right secret but never issued (no grant in the log): refused too.
    const neverIssued = await new SignJWT({ typ: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('fiona')
      .setJti('00000000-0000-4000-8000-000000000001')
      .setIssuer('salesline')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(new TextEncoder().encode(TOKEN_SECRET));
    for (const token of [wrongKey, unsigned, neverIssued, 'slk_00000000-0000-4000-8000-000000000000.' + 'a'.repeat(43), 'garbage']) {
      const res = await whoCanRegister(first.http, token);
      expect([res.status, res.body.code]).toEqual([401, 'InvalidToken']);
    }
    const none = await first.http.post('/api/customers', acme);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="salesline"');
  });

  it('rotates the admin token without a restart: the old one stops on every replica', async () => {
    const rotated = await second.post('/api/auth/admin-token/rotate', undefined, adminToken);
    expect(rotated.status).toBe(200);
    for (const http of [first.http, second]) {
      expect((await http.get('/api/customers', adminToken)).status).toBe(401);
      expect((await http.get('/api/customers', rotated.body.adminToken)).status).toBe(200);
    }
    adminToken = rotated.body.adminToken;
  });
});
