import { api, authHeader } from '../api';
import { esc, fmtMoney } from '../format';

/**
 * New orders as they are placed, without a reload: the API's event feed (server-sent events) read with fetch,
 * so the bearer token travels in a header; each OrderPlaced is shown as the order board has it.
 */
export const livePage = async (host: HTMLElement) => {
  host.innerHTML = `
    <div class="head"><h1>Live</h1><span id="live-status" class="status">connecting…</span></div>
    <p class="sub">Orders placed from now on appear here as they happen.</p>
    <ol class="timeline" id="live-orders" data-timeline="live"></ol>`;
  const list = host.querySelector<HTMLElement>('#live-orders')!;
  const status = host.querySelector<HTMLElement>('#live-status')!;
  const controller = new AbortController();
  const openedAt = new Date(Date.now() - 2000).toISOString();
  let lastId: string | null = null;

  const onEvent = async (event: { type?: string; data?: any; recordedAt?: string; stream?: string; streamName?: string }) => {
    if (event.type !== 'OrderPlaced' || (event.recordedAt && event.recordedAt < openedAt)) return;
    const orderId = event.data?.orderId ?? (event.stream ?? event.streamName)?.replace(/^order-/, '');
    if (!orderId) return;
    const order = await api(
      `/api/orders/${encodeURIComponent(orderId)}${(event as any).position ? `?minPosition=${(event as any).position}` : ''}`,
    );
    const li = document.createElement('li');
    li.dataset.orderId = order.id;
    li.innerHTML = `<span class="when">${esc(order.orderDate)}</span> <b>${esc(order.customerName ?? order.customerId)}</b> · ${esc(order.salespersonId)} · <span data-figure="live-value">${fmtMoney(order.value)}</span> · <span class="status s-${esc(order.status)}">${esc(order.status.replace(/_/g, ' '))}</span>`;
    list.prepend(li);
  };

  // Start at the head of the log (the feed page says where it is), so the subscription does not replay history.
  const head = await api<{ head?: number }>('/api/events?limit=1&types=OrderPlaced').then(
    (page) => page.head ?? null,
    () => null,
  );
  if (head !== null) lastId = String(head);

  const connect = async () => {
    while (!controller.signal.aborted) {
      try {
        const res = await fetch('/api/events/subscribe?types=OrderPlaced', {
          headers: { ...authHeader(), accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) },
          signal: controller.signal,
        });
        if (res.status === 404) {
          status.textContent = 'the live feed is not available on this server (404)';
          status.dataset.state = 'unavailable';
          return;
        }
        if (!res.ok || !res.body) {
          status.textContent = `the live feed refused: ${res.status}`;
          status.dataset.state = 'refused';
          return;
        }
        status.textContent = 'live';
        status.dataset.state = 'live';
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let data = '';
            let name = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('id:')) lastId = line.slice(3).trim();
              else if (line.startsWith('event:')) name = line.slice(6).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trim();
            }
            if (!data) continue;
            try {
              const parsed = JSON.parse(data);
              await onEvent({ ...parsed, type: parsed.type ?? name });
            } catch {
              /* a heartbeat or a line that is not an event */
            }
          }
        }
      } catch (err) {
        if (controller.signal.aborted) return;
        status.textContent = `reconnecting… (${err instanceof Error ? err.message : String(err)})`;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  void connect();
  return () => controller.abort();
};
