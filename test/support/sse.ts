/** A minimal server-sent-events client over fetch, for specs: what a consumer of /api/events/subscribe sees. */
export type SseMessage = { id?: string; event?: string; data?: string };

export type SseConnection = {
  messages: SseMessage[];
  comments: string[];
  /** Resolves once `predicate` holds for the messages received so far. */
  until: (predicate: (messages: SseMessage[]) => boolean, timeoutMs?: number) => Promise<void>;
  close: () => void;
  status: number;
};

export const openSse = async (url: string, headers: Record<string, string>): Promise<SseConnection> => {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const waiters: Array<() => void> = [];
  if (res.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const message: SseMessage = {};
            let isMessage = false;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line.slice(1).trim());
              else {
                const i = line.indexOf(':');
                const field = line.slice(0, i);
                const value = line.slice(i + 1).replace(/^ /, '');
                if (field === 'id' || field === 'event' || field === 'data') {
                  message[field] = field === 'data' && message.data !== undefined ? `${message.data}\n${value}` : value;
                  isMessage = true;
                }
              }
            }
            if (isMessage) messages.push(message);
            waiters.splice(0).forEach((w) => w());
          }
        }
      } catch {
        /* aborted */
      }
    })();
  }
  return {
    messages,
    comments,
    status: res.status,
    close: () => controller.abort(),
    until: (predicate, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`SSE: condition not met within ${timeoutMs} ms (${messages.length} messages)`)),
          timeoutMs,
        );
        const check = () => {
          if (predicate(messages)) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      }),
  };
};
