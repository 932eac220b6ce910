/**
 * The dashboard talks to the API with the signed-in user's bearer token; every figure shown comes from these answers.
 * Access tokens live 15 minutes (ADR 0006): a session that holds a refresh token trades it for a new pair
 * (`POST /api/auth/refresh`, single use) before the access token expires, and signing out revokes both on the server.
 */
export type Session = { token: string; refreshToken?: string; userId: string; roles: string[] };

const KEY = 'salesline.session';
/** Refresh this long before the access token expires (at most a fifth of its life). */
const REFRESH_MARGIN_SECONDS = 60;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

type JwtClaims = { sub?: string; jti?: string; exp?: number; iat?: number; typ?: string; userId?: string; roles?: unknown };

/** The claims of a JWT, unchecked (the API checks every request); null for anything that is not a JWT. */
export const jwtClaims = (token: string): JwtClaims | null => {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    return JSON.parse(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'))) as JwtClaims;
  } catch {
    return null;
  }
};

/** What the token says about its holder (for showing the right pages; the API decides what it may read). */
export const claimsOf = (token: string): { userId: string; roles: string[] } => {
  const json = jwtClaims(token);
  if (!json) return { userId: 'admin', roles: ['admin'] };
  return { userId: String(json.sub ?? json.userId ?? 'unknown'), roles: Array.isArray(json.roles) ? json.roles.map(String) : [] };
};

export const session = {
  get(): Session | null {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  },
  set(s: Session) {
    sessionStorage.setItem(KEY, JSON.stringify(s));
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

/**
 * What a person pastes to sign in: an access token, a refresh token, or an entry of the demo's
 * `demo-tokens.json` (`{ "token": …, "refreshToken": … }`).
 */
export const credentialsOf = (pasted: string): { token?: string; refreshToken?: string } => {
  const text = pasted.trim();
  if (text.startsWith('{')) {
    try {
      const entry = JSON.parse(text) as { token?: unknown; refreshToken?: unknown };
      return {
        ...(typeof entry.token === 'string' && { token: entry.token }),
        ...(typeof entry.refreshToken === 'string' && { refreshToken: entry.refreshToken }),
      };
    } catch {
      return { token: text };
    }
  }
  return jwtClaims(text)?.typ === 'refresh' ? { refreshToken: text } : { token: text };
};

/** Seconds until the access token should be refreshed; null when it cannot be (no expiry, or nothing to refresh with). */
export const secondsUntilRefresh = (s: Session, nowMs = Date.now()): number | null => {
  const claims = jwtClaims(s.token);
  if (!s.refreshToken || !claims?.exp) return null;
  const life = claims.iat ? claims.exp - claims.iat : REFRESH_MARGIN_SECONDS * 5;
  return claims.exp - Math.min(REFRESH_MARGIN_SECONDS, life / 5) - nowMs / 1000;
};

const headers = (accept = 'application/json'): Record<string, string> => {
  const s = session.get();
  return { accept, ...(s ? { authorization: `Bearer ${s.token}` } : {}) };
};

type Pair = { token: string; refreshToken: string; userId: string; roles: string[] };
let refreshing: Promise<Session> | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
/** Called when the session ends without the person signing out (the refresh token was refused). */
let onSessionEnded: (reason: string) => void = () => undefined;
export const whenSessionEnds = (handler: (reason: string) => void) => {
  onSessionEnded = handler;
};

const endSession = (err: ApiError) => {
  if (!session.get()) return;
  session.clear();
  if (timer) clearTimeout(timer);
  timer = null;
  onSessionEnded(`Your session ended (${err.code ?? err.status}); sign in again.`);
};

/** Trades the refresh token for a new pair once (concurrent callers share the one trade: the token is single use). */
export const refreshSession = (refreshToken = session.get()?.refreshToken): Promise<Session> => {
  if (!refreshToken) return Promise.reject(new ApiError(401, 'TokenExpired', 'The session has no refresh token'));
  refreshing ??= (async () => {
    try {
      const res = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      const body = (await res.json().catch(() => null)) as (Pair & { code?: string; message?: string }) | null;
      if (!res.ok || !body) {
        const refused = new ApiError(res.status, body?.code, body?.message ?? `${res.status} ${res.statusText}`);
        // Refused (used by another tab, revoked, expired): the session is over.
        if (res.status === 401 || res.status === 400) endSession(refused);
        throw refused;
      }
      const next: Session = { token: body.token, refreshToken: body.refreshToken, userId: body.userId, roles: body.roles };
      session.set(next);
      scheduleRefresh();
      return next;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
};

/** Keeps the session alive: a timer refreshes the access token shortly before it expires. */
export const scheduleRefresh = () => {
  if (timer) clearTimeout(timer);
  timer = null;
  const s = session.get();
  const seconds = s ? secondsUntilRefresh(s) : null;
  if (seconds === null) return;
  timer = setTimeout(
    () => {
      // A refusal ends the session (endSession); a network failure is tried again shortly.
      refreshSession().catch((err: unknown) => {
        if (session.get() && !(err instanceof ApiError)) timer = setTimeout(scheduleRefresh, 5000);
      });
    },
    // setTimeout fires at once beyond 2^31-1 ms (24.8 days): a longer-lived token is refreshed when that much is left.
    Math.min(Math.max(0, seconds) * 1000, 2 ** 31 - 1),
  );
};

/**
 * Signs in with what was pasted: an access token still valid for a while is used as it is; otherwise the refresh
 * token is traded for a fresh pair. The roles are the API's (`GET /api/auth/me`), not the token's.
 */
export const signInWith = async (pasted: string): Promise<Session> => {
  const { token, refreshToken } = credentialsOf(pasted);
  const claims = token ? jwtClaims(token) : null;
  const expired = claims?.exp !== undefined && claims.exp - Date.now() / 1000 < REFRESH_MARGIN_SECONDS;
  if (refreshToken && (!token || expired)) {
    await refreshSession(refreshToken);
  } else if (token) {
    session.set({ token, ...(refreshToken && { refreshToken }), ...claimsOf(token) });
  } else throw new ApiError(400, undefined, 'Paste a token');
  try {
    const me = await api<{ userId: string; roles: string[] }>('/api/auth/me');
    const signedIn = { ...session.get()!, ...me };
    session.set(signedIn);
    scheduleRefresh();
    return signedIn;
  } catch (err) {
    session.clear();
    throw err;
  }
};

/** Signs out: the refresh token and then the access token are revoked on the server, and the session is forgotten. */
export const signOut = async (): Promise<void> => {
  if (timer) clearTimeout(timer);
  timer = null;
  const s = session.get();
  session.clear();
  if (!s) return;
  const ids = [s.refreshToken ? jwtClaims(s.refreshToken)?.jti : undefined, jwtClaims(s.token)?.jti].filter(
    (id): id is string => typeof id === 'string',
  );
  for (const id of ids) {
    await fetch(`/api/auth/tokens/${encodeURIComponent(id)}/revoke`, {
      method: 'POST',
      headers: { accept: 'application/json', authorization: `Bearer ${s.token}` },
    }).catch(() => undefined);
  }
};

/** A GET with the session's token; an expired token is refreshed once and the request sent again. */
const send = async (path: string, accept: string): Promise<Response> => {
  const res = await fetch(path, { headers: headers(accept) });
  if (res.status !== 401 || !session.get()?.refreshToken) return res;
  const body = (await res
    .clone()
    .json()
    .catch(() => null)) as { code?: string } | null;
  if (body?.code !== 'TokenExpired') return res;
  await refreshSession();
  return fetch(path, { headers: headers(accept) });
};

export const api = async <T = any>(path: string): Promise<T> => {
  const res = await send(path, 'application/json');
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, body?.code, body?.message ?? `${res.status} ${res.statusText}`);
  return body as T;
};

/** The API's own CSV for a report (Accept: text/csv). */
export const apiCsv = async (path: string): Promise<string> => {
  const res = await send(path, 'text/csv');
  if (!res.ok) throw new ApiError(res.status, undefined, `${res.status} ${res.statusText}`);
  return res.text();
};

export const authHeader = () => headers();
