import { HttpClient } from './http';
import { tokenFor } from './in-process-app';

type Answer = { status: number; body: any };

/**
 * Follows a scenario's writes: `ok(answer)` gives the body of an accepted request (200/201 unless told
 * otherwise, else it throws with the answer) and remembers the highest position any answer reported;
 * `last` is that position, for `?minPosition=` (read your writes).
 */
export const writes = () => {
  let last = 0;
  return {
    ok: (res: Answer, status = [200, 201]) => {
      if (!status.includes(res.status)) throw new Error(`unexpected ${res.status}: ${JSON.stringify(res.body)}`);
      last = Math.max(last, res.body.position ?? 0);
      return res.body;
    },
    get last() {
      return last;
    },
  };
};

const CAST = {
  manager: ['mia', 'sales_manager'],
  anna: ['anna', 'salesperson'],
  finance: ['fiona', 'finance'],
  auditor: ['audrey', 'auditor'],
} as const;

/** Tokens for the scenarios' usual people (mia the sales manager, anna the salesperson, fiona in finance, audrey the auditor), in the order asked. */
export const tokensFor = async <K extends keyof typeof CAST>(http: HttpClient, ...who: K[]): Promise<Record<K, string>> => {
  const tokens = {} as Record<K, string>;
  for (const k of who) tokens[k] = await tokenFor(http, CAST[k][0], CAST[k][1]);
  return tokens;
};

/**
 * A scenario's calls as one of its people (`tokens[who]`, the manager unless told): `post` and `get` answer the
 * body of an accepted request (200/201, else they throw with the answer), and `get` reads at the highest
 * position written so far (read your writes).
 */
export const callsAs = (http: () => HttpClient, tokens: Record<string, string>) => {
  let position = 0;
  const ok = async (res: Promise<Answer>) => {
    const r = await res;
    if (r.status !== 200 && r.status !== 201) throw new Error(`expected 200/201, got ${r.status}: ${JSON.stringify(r.body)}`);
    position = Math.max(position, r.body?.position ?? 0);
    return r.body;
  };
  return {
    ok,
    post: (path: string, body: unknown, who = 'manager') => ok(http().post(path, body, tokens[who])),
    get: (path: string, who = 'manager') => ok(http().get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`, tokens[who])),
  };
};
