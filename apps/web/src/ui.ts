import { esc } from './format';

export type Column<T> = { key: string; label: string; value: (row: T) => unknown; html?: (row: T) => string; numeric?: boolean };

/** A table with a header, sortable by clicking a header (ordering only), and an optional row click. */
export const table = <T>(
  host: HTMLElement,
  columns: Column<T>[],
  rows: T[],
  options: { id?: string; onRow?: (row: T) => void; rowKey?: (row: T) => string; empty?: string } = {},
) => {
  let sorted = rows;
  let sortKey: string | null = null;
  let dir = 1;
  const render = () => {
    host.innerHTML = `<table class="grid" ${options.id ? `data-table="${options.id}"` : ''}>
      <thead><tr>${columns.map((c) => `<th data-key="${c.key}" class="${c.numeric ? 'num' : ''}">${esc(c.label)}${sortKey === c.key ? (dir > 0 ? ' ▲' : ' ▼') : ''}</th>`).join('')}</tr></thead>
      <tbody>${
        sorted.length
          ? sorted
              .map(
                (r, i) =>
                  `<tr data-index="${i}" ${options.rowKey ? `data-key="${esc(options.rowKey(r))}"` : ''} class="${options.onRow ? 'clickable' : ''}">${columns
                    .map((c) => `<td data-col="${c.key}" class="${c.numeric ? 'num' : ''}">${c.html ? c.html(r) : esc(c.value(r))}</td>`)
                    .join('')}</tr>`,
              )
              .join('')
          : `<tr><td colspan="${columns.length}" class="empty">${esc(options.empty ?? 'Nothing to show')}</td></tr>`
      }</tbody></table>`;
    host.querySelectorAll('th').forEach((th) =>
      th.addEventListener('click', () => {
        const key = th.dataset.key!;
        dir = sortKey === key ? -dir : 1;
        sortKey = key;
        const col = columns.find((c) => c.key === key)!;
        sorted = [...rows].sort((a, b) => {
          const x = col.value(a) as any;
          const y = col.value(b) as any;
          return (x === y ? 0 : x === null || x === undefined ? -1 : y === null || y === undefined ? 1 : x < y ? -1 : 1) * dir;
        });
        render();
      }),
    );
    if (options.onRow)
      host
        .querySelectorAll<HTMLTableRowElement>('tbody tr[data-index]')
        .forEach((tr) => tr.addEventListener('click', () => options.onRow!(sorted[Number(tr.dataset.index)])));
  };
  render();
};

/** Downloads text as a file. */
export const download = (filename: string, text: string, type = 'text/csv') => {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};

export const card = (label: string, value: string, testId?: string) =>
  `<div class="card"${testId ? ` data-figure="${testId}"` : ''}><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div></div>`;

export const errorBox = (host: HTMLElement, err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  host.innerHTML = `<div class="error">${esc(msg)}</div>`;
};
