import { api, authHeader, refreshSession, session } from '../api';
import { esc, fmtMoney } from '../format';

type BoardRow = {
  id: string;
  orderDate: string;
  customerId: string;
  customerName: string | null;
  salespersonId: string;
  value: number;
  status: string;
};

/**
 * The order board live (ADR 0402): `GET /api/order-board/changes`, server-sent events read with fetch so the bearer
 * token travels in a header. Each message is an order's board row as the API has it after the change, for the orders
 * the signed-in person may read; a new order is put on top, a changed one is updated where it is.
 */
export const livePage = async (host: HTMLElement) => {
  host.innerHTML = `
    <div class="head"><h1>Live</h1><span id="live-status" class="status">connecting…</span></div>
    <p class="sub">The order board as it changes: orders placed from now on appear on top, and any order shown is updated as it moves.</p>
    <ol class="timeline" id="live-orders" data-timeline="live"></ol>`;
  const list = host.querySelector<HTMLElement>('#live-orders')!;
  const status = host.querySelector<HTMLElement>('#live-status')!;
  const controller = new AbortController();
  let lastId: string | null = null;
  const setStatus = (state: string, text: string) => {
    status.dataset.state = state;
    status.textContent = text;
  };

  const show = (order: BoardRow, fresh: boolean) => {
    const existing = list.querySelector<HTMLElement>(`li[data-order-id="${CSS.escape(order.id)}"]`);
    const li = existing ?? document.createElement('li');
    li.dataset.orderId = order.id;
    li.innerHTML = `<span class="when">${esc(order.orderDate)}</span> <b>${esc(order.customerName ?? order.customerId)}</b> · ${esc(order.salespersonId)} · <span data-figure="live-value">${fmtMoney(order.value)}</span> · <span class="status s-${esc(order.status)}">${esc(order.status.replace(/_/g, ' '))}</span>`;
    if (!existing) {
      if (fresh) list.prepend(li);
      else list.append(li);
    }
    if (fresh) {
      li.classList.add('selected');
      setTimeout(() => li.classList.remove('selected'), 3000);
    }
  };

  const connect = async () => {
    while (!controller.signal.aborted) {
      try {
        const res = await fetch('/api/order-board/changes', {
          headers: { ...authHeader(), accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) },
          signal: controller.signal,
        });
        if (res.status === 401 && session.get()?.refreshToken) {
          await refreshSession();
          continue;
        }
        if (!res.ok || !res.body) {
          setStatus('refused', `the live board refused: ${res.status}`);
          return;
        }
        setStatus('live', 'live');
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
            let name = 'message';
            let id: string | null = null;
            for (const line of block.split('\n')) {
              if (line.startsWith('id:')) id = line.slice(3).trim();
              else if (line.startsWith('event:')) name = line.slice(6).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trim();
            }
            // The token expired or was revoked: the stream ends; the loop reconnects with the session's current token.
            if (name === 'unauthorized') setStatus('reconnecting', 'reconnecting…');
            if (name !== 'order' || !data) continue;
            const change = JSON.parse(data) as { eventType: string; order: BoardRow };
            show(change.order, change.eventType === 'OrderPlaced');
            if (id) lastId = id;
          }
        }
        if (!session.get()) return;
      } catch (err) {
        if (controller.signal.aborted || !session.get()) return;
        setStatus('reconnecting', `reconnecting… (${err instanceof Error ? err.message : String(err)})`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  void connect();
  // The latest orders on the board, for context; live rows that arrive meanwhile keep their place.
  const latest = await api<{ items: BoardRow[] }>('/api/orders?limit=10').catch(() => ({ items: [] as BoardRow[] }));
  for (const order of latest.items) if (!list.querySelector(`li[data-order-id="${CSS.escape(order.id)}"]`)) show(order, false);
  return () => controller.abort();
};
