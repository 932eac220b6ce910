/** A tiny HTTP client for e2e specs: real requests against a real server. */
export type HttpResponse<T = any> = { status: number; body: T; headers: Headers };

export const httpClient = (baseUrl: string) => {
  const request = async <T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse<T>> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined;
    if (options.rawBody !== undefined) payload = options.rawBody;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const send = () => fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    // A kept-alive socket that the server closed while this process was busy (a synchronous child process, a
    // loaded machine) fails at once, closed or reset, before the server read the request: send it once more on a
    // new connection, whatever the method, as Node's http docs advise for a reused socket. A request that really
    // resets the server fails the second time too.
    const res = await send().catch((err: unknown) => {
      const cause = String((err as { cause?: unknown })?.cause);
      if (cause.includes('other side closed') || cause.includes('ECONNRESET')) return send();
      throw err;
    });
    // An event stream stays open: its status and headers are the answer.
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
      await res.body?.cancel();
      return { status: res.status, body: null as T, headers: res.headers };
    }
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body, headers: res.headers };
  };
  return {
    request,
    get: <T = any>(path: string, token?: string, headers?: Record<string, string>) => request<T>('GET', path, { token, headers }),
    post: <T = any>(path: string, body: unknown, token?: string, headers?: Record<string, string>) =>
      request<T>('POST', path, { token, body, headers }),
    patch: <T = any>(path: string, body: unknown, token?: string, headers?: Record<string, string>) =>
      request<T>('PATCH', path, { token, body, headers }),
  };
};
export type HttpClient = ReturnType<typeof httpClient>;
