import { ApiError, api } from '../api';
import { esc } from '../format';

type Entry = { position: number; stream: string; type: string; data: any; actor: string; recordedAt: string; correlationId: string; causationId: string | null; businessDate: string | null };

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

const fromAuditEndpoint = (body: any): Entry[] =>
  (body.timeline ?? body.events ?? body.items ?? []).map((e: any) => ({
    position: e.position,
    stream: e.stream ?? e.streamName,
    type: e.type,
    data: e.data,
    actor: e.actor ?? e.metadata?.actor,
    recordedAt: e.recordedAt ?? e.occurredAt ?? e.metadata?.occurredAt,
    correlationId: e.correlationId ?? e.metadata?.correlationId,
    causationId: e.causationId ?? e.metadata?.causationId ?? null,
    businessDate: e.businessDate ?? businessDateOf(e.data),
  }));

/** Reads the timeline: the audit endpoint where it exists, otherwise the thing's own streams, merged by global position. */
const timeline = async (kind: string, id: string, asOf?: string): Promise<{ entries: Entry[]; source: string; state: unknown }> => {
  const q = asOf ? `?asOf=${encodeURIComponent(asOf)}` : '';
  try {
    const body = await api(`/api/audit/${kind}s/${encodeURIComponent(id)}${q}`);
    return { entries: fromAuditEndpoint(body), source: `/api/audit/${kind}s/${id}`, state: body.state ?? null };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404 || (err.code && err.code !== 'NotFound' && !/Cannot GET/.test(err.message))) throw err;
  }
  const streams = STREAMS[kind](id);
  const read = await Promise.all(
    streams.map((s) =>
      api<{ events: any[] }>(`/api/streams/${s}${q}`).catch((err) => {
        if (err instanceof ApiError && err.status === 404) return { events: [] };
        throw err;
      }),
    ),
  );
  const entries = read
    .flatMap((r) => r.events)
    .map((e) => ({ position: e.position, stream: e.streamName, type: e.type, data: e.data, actor: e.metadata.actor, recordedAt: e.recordedAt, correlationId: e.metadata.correlationId, causationId: e.metadata.causationId, businessDate: businessDateOf(e.data) }))
    .sort((a, b) => a.position - b.position);
  return { entries, source: streams.map((s) => `/api/streams/${s}`).join(', '), state: null };
};

/** Any order, customer or employee as a timeline of its events; choosing an event shows the record as it stood then. */
export const auditPage = async (host: HTMLElement, params: URLSearchParams) => {
  const kind = params.get('kind') ?? 'order';
  const id = params.get('id') ?? '';
  host.innerHTML = `
    <div class="head"><h1>Audit</h1></div>
    <form class="filters" id="find">
      <label>What <select name="kind">${Object.keys(STREAMS).map((k) => `<option ${k === kind ? 'selected' : ''}>${k}</option>`).join('')}</select></label>
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
  const { entries, source } = await timeline(kind, id);
  result.innerHTML = `
    <p class="sub">${entries.length} events from <code>${esc(source)}</code>, oldest first. Choose one to see the record as it stood at that moment.</p>
    <div class="split">
      <ol class="timeline audit" data-timeline="audit">${entries
        .map(
          (e, i) => `<li data-index="${i}" data-type="${esc(e.type)}" class="clickable"><span class="when">${esc(e.businessDate ?? '')}</span> <b>${esc(e.type)}</b>
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
      const asOf = await timeline(kind, id, e.recordedAt);
      const upTo = asOf.entries.filter((x) => x.position <= e.position);
      moment.innerHTML = `
        <h3 data-moment="${esc(e.recordedAt)}">As of ${esc(e.recordedAt)} (business date ${esc(e.businessDate ?? '—')})</h3>
        ${asOf.state ? `<h4>State</h4><pre>${esc(JSON.stringify(asOf.state, null, 2))}</pre>` : ''}
        <p class="sub">${upTo.length} events recorded by then; the last:</p>
        <pre data-event="${esc(e.type)}">${esc(JSON.stringify({ type: e.type, data: e.data }, null, 2))}</pre>
        <ol class="timeline small">${upTo.map((x) => `<li><span class="when">${esc(x.businessDate ?? '')}</span> ${esc(x.type)} <span class="meta">by ${esc(x.actor)}</span></li>`).join('')}</ol>`;
    }),
  );
};
