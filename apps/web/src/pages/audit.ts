import { ApiError, api } from '../api';
import { esc } from '../format';

type Entry = {
  position: number;
  stream: string;
  type: string;
  data: any;
  actor: string;
  recordedAt: string;
  correlationId: string;
  causationId: string | null;
  businessDate: string | null;
};

/** Streams that hold a thing's history when the audit timeline endpoint is not there (the auditors' raw stream view). */
const STREAMS: Record<string, (id: string) => string[]> = {
  order: (id) => [`order-${id}`],
  customer: (id) => [`customer-${id}`, `account-${id}`],
  employee: (id) => [`employee-${id}`, `employee-visits-${id}`, `employee-violations-${id}`, `service-feedback-${id}`],
};

/** The business date an event carries: the first data field named like a date (…Date, …On). */
const businessDateOf = (data: any): string | null => {
  if (!data || typeof data !== 'object') return null;
  for (const [k, v] of Object.entries(data)) if (/(Date|On)$/.test(k) && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  return null;
};

const fromAuditEndpoint = (entries: any[]): Entry[] =>
  entries.map((e: any) => ({
    position: e.position,
    stream: e.stream ?? e.streamName,
    type: e.event?.type ?? e.type,
    data: e.event?.data ?? e.data,
    actor: e.actor ?? e.metadata?.actor,
    recordedAt: e.recordedAt ?? e.metadata?.occurredAt,
    correlationId: e.correlationId ?? e.metadata?.correlationId,
    causationId: e.causationId ?? e.metadata?.causationId ?? null,
    businessDate: e.businessDate ?? businessDateOf(e.event?.data ?? e.data),
  }));

/** The audit endpoint is not on this server (404 without a domain code), or not for this role (403: admins read streams). */
const useStreamsInstead = (err: unknown) =>
  err instanceof ApiError && ((err.status === 404 && (!err.code || err.code === 'NotFound')) || err.status === 403);

/**
 * Reads the timeline: the audit endpoint (every event about the thing across streams, paged) where the server has it,
 * otherwise the thing's own streams from the auditors' stream view, merged by global position.
 */
const timeline = async (kind: string, id: string): Promise<{ entries: Entry[]; source: string; audit: boolean }> => {
  const base = `/api/audit/${kind}s/${encodeURIComponent(id)}`;
  try {
    const entries: Entry[] = [];
    let after = 0;
    for (let page = 0; page < 20; page++) {
      const body = await api<{ entries: any[]; next: number | null }>(`${base}?limit=1000&after=${after}`);
      entries.push(...fromAuditEndpoint(body.entries ?? []));
      if (body.next === null || body.next === undefined || !body.entries?.length) break;
      after = body.next;
    }
    return { entries, source: base, audit: true };
  } catch (err) {
    if (!useStreamsInstead(err)) throw err;
  }
  const streams = STREAMS[kind](id);
  const read = await Promise.all(
    streams.map((s) =>
      api<{ events: any[] }>(`/api/streams/${s}`).catch((err) => {
        if (err instanceof ApiError && err.status === 404) return { events: [] };
        throw err;
      }),
    ),
  );
  const entries = read
    .flatMap((r) => r.events)
    .map((e) => ({
      position: e.position,
      stream: e.streamName,
      type: e.type,
      data: e.data,
      actor: e.metadata.actor,
      recordedAt: e.recordedAt,
      correlationId: e.metadata.correlationId,
      causationId: e.metadata.causationId,
      businessDate: businessDateOf(e.data),
    }))
    .sort((a, b) => a.position - b.position);
  return { entries, source: streams.map((s) => `/api/streams/${s}`).join(', '), audit: false };
};

/** The record as it stood at an instant: the audit endpoint folds its state; the stream view only lists the events recorded by then. */
const stateAt = async (kind: string, id: string, asOf: string, audit: boolean): Promise<unknown> =>
  audit ? (await api<{ state: unknown }>(`/api/audit/${kind}s/${encodeURIComponent(id)}?asOf=${encodeURIComponent(asOf)}`)).state : null;

/** Any order, customer or employee as a timeline of its events; choosing an event shows the record as it stood then. */
export const auditPage = async (host: HTMLElement, params: URLSearchParams) => {
  const kind = params.get('kind') ?? 'order';
  const id = params.get('id') ?? '';
  host.innerHTML = `
    <div class="head"><h1>Audit</h1></div>
    <form class="filters" id="find">
      <label>What <select name="kind">${Object.keys(STREAMS)
        .map((k) => `<option ${k === kind ? 'selected' : ''}>${k}</option>`)
        .join('')}</select></label>
      <label>Id <input name="id" value="${esc(id)}" size="40" placeholder="order, customer or employee id" /></label>
      <button type="submit">Show timeline</button>
    </form>
    <div id="result"></div>`;
  host.querySelector<HTMLFormElement>('#find')!.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    location.hash = `#/audit?kind=${data.get('kind')}&id=${encodeURIComponent(String(data.get('id')).trim())}`;
  });
  if (!id) return;
  const result = host.querySelector<HTMLElement>('#result')!;
  const { entries, source, audit } = await timeline(kind, id);
  result.innerHTML = `
    <p class="sub">${entries.length} events from <code>${esc(source)}</code>, oldest first. Choose one to see the record as it stood at that moment.</p>
    <div class="split">
      <ol class="timeline audit" data-timeline="audit">${entries
        .map(
          (
            e,
            i,
          ) => `<li data-index="${i}" data-type="${esc(e.type)}" class="clickable"><span class="when">${esc(e.businessDate ?? '')}</span> <b>${esc(e.type)}</b>
            <div class="meta">by ${esc(e.actor)} · recorded ${esc(e.recordedAt)} · #${e.position} in ${esc(e.stream)} · correlation ${esc(String(e.correlationId).slice(0, 8))}</div></li>`,
        )
        .join('')}</ol>
      <section id="moment" class="detail"><p class="sub">No moment chosen.</p></section>
    </div>`;
  result.querySelectorAll<HTMLLIElement>('li[data-index]').forEach((li) =>
    li.addEventListener('click', async () => {
      result.querySelectorAll('li.selected').forEach((x) => x.classList.remove('selected'));
      li.classList.add('selected');
      const e = entries[Number(li.dataset.index)];
      const moment = result.querySelector<HTMLElement>('#moment')!;
      moment.innerHTML = '<div class="loading">Reading the record as it stood…</div>';
      const state = await stateAt(kind, id, e.recordedAt, audit);
      const upTo = entries.filter((x) => x.position <= e.position);
      moment.innerHTML = `
        <h3 data-moment="${esc(e.recordedAt)}">As of ${esc(e.recordedAt)} (business date ${esc(e.businessDate ?? '—')})</h3>
        ${state ? `<h4>State then</h4><pre data-state>${esc(JSON.stringify(state, null, 2))}</pre>` : ''}
        <p class="sub">${upTo.length} events recorded by then; this one:</p>
        <pre data-event="${esc(e.type)}">${esc(JSON.stringify({ type: e.type, data: e.data }, null, 2))}</pre>
        <ol class="timeline small">${upTo.map((x) => `<li><span class="when">${esc(x.businessDate ?? '')}</span> ${esc(x.type)} <span class="meta">by ${esc(x.actor)}</span></li>`).join('')}</ol>`;
    }),
  );
};
