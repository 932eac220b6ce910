import { api, apiCsv, session } from '../api';
import { chart, PALETTE } from '../charts';
import { esc, fmtBp, fmtInt, fmtMoney, lastMonths, units } from '../format';
import { card, Column, download, table } from '../ui';

type Row = {
  level: string;
  nodeId: string;
  name: string | null;
  target: { revenue: number; quantity: number; grossMargin: number } | null;
  actual: { ordersBooked: number; revenue: number; quantity: number; grossMargin: number; cashCollected: number };
  achievementBp: { revenue: number | null; quantity: number | null; grossMargin: number | null };
  forecast: { revenue: number; quantity: number; grossMargin: number };
  quotes: { pipelineCount: number; pipelineValue: number; won: number; lost: number; winRateBp: number | null };
  visits: { planned: number; actual: number };
  expenses: { budget: number; actual: number };
};
type Document = {
  factId: string;
  kind: string;
  businessDate: string;
  creditDate?: string;
  employeeId: string;
  amount: number;
  quantity: number;
  grossMargin: number;
};
type DrillDown = { period: string; asOf: string; row: Row; children: Row[]; documents?: Document[] };

const CHILD_LEVEL: Record<string, string> = { company: 'region', region: 'team', team: 'salesperson' };

/** The region (else the team) a sales manager manages, where their sales progress opens. */
const ledUnit = async (userId: string): Promise<{ level: string; id: string } | null> => {
  type Unit = { id: string; managerId?: string | null; status?: string };
  const managed = (units: Unit[]) => units.find((u) => u.managerId === userId && u.status !== 'closed' && u.status !== 'disbanded');
  const region = managed((await api<{ items: Unit[] }>('/api/regions?limit=500')).items);
  if (region) return { level: 'region', id: region.id };
  const team = managed((await api<{ items: Unit[] }>('/api/teams?limit=500')).items);
  return team ? { level: 'team', id: team.id } : { level: 'salesperson', id: userId };
};

/**
 * Sales progress of one node (company, region, team or salesperson): the twelve closed months and the year so far,
 * with its children to drill into. Every figure is the API's drill-down answer for that period.
 */
export const progressPage = async (host: HTMLElement, params: URLSearchParams) => {
  const s = session.get()!;
  const ownOnly = !['sales_manager', 'finance', 'analyst', 'admin_department', 'auditor'].some((r) => s.roles.includes(r));
  // A sales manager reads the region or team they lead, not the company (ADR 0019).
  const teamOnly = !ownOnly && !['finance', 'analyst', 'admin_department', 'auditor'].some((r) => s.roles.includes(r));
  const led = teamOnly && !params.get('level') ? await ledUnit(s.userId) : null;
  const level = ownOnly ? 'salesperson' : (led?.level ?? params.get('level') ?? 'company');
  const id = ownOnly ? s.userId : (led?.id ?? params.get('id') ?? 'company');
  const trail = (params.get('trail') ?? '').split(',').filter(Boolean); // "level:id:name" of the nodes above
  const months = lastMonths(12);
  const year = new Date().getUTCFullYear().toString();
  const url = (period: string) => `/api/reports/sales-progress/${level}/${encodeURIComponent(id)}?period=${period}`;
  const [monthly, yearly] = await Promise.all([Promise.all(months.map((m) => api<DrillDown>(url(m)))), api<DrillDown>(url(year))]);
  const row = yearly.row;
  const here = `${level}:${id}:${row.name ?? id}`;
  const link = (l: string, i: string, t: string[]) =>
    `#/progress?level=${l}&id=${encodeURIComponent(i)}&trail=${encodeURIComponent(t.join(','))}`;
  const crumbs = [...trail, here].map((c, k, all) => {
    const [l, i, ...n] = c.split(':');
    return k === all.length - 1
      ? `<span data-crumb="${esc(l)}">${esc(n.join(':'))}</span>`
      : `<a href="${link(l, i, all.slice(0, k))}" data-crumb="${esc(l)}">${esc(n.join(':'))}</a>`;
  });

  host.innerHTML = `
    <div class="head"><h1>Sales progress</h1><nav class="crumbs">${crumbs.join(' › ')}</nav></div>
    <p class="sub">${esc(level)} <b data-node="${esc(id)}">${esc(row.name ?? id)}</b> · year ${esc(yearly.period)} as of ${esc(yearly.asOf)} · amounts in currency units</p>
    <div class="cards">
      ${card('Target (year)', fmtMoney(row.target?.revenue), 'target-revenue')}
      ${card('Revenue (year to date)', fmtMoney(row.actual.revenue), 'actual-revenue')}
      ${card('Achievement', fmtBp(row.achievementBp.revenue), 'achievement')}
      ${card('Run-rate forecast', fmtMoney(row.forecast.revenue), 'forecast-revenue')}
      ${card('Gross margin', fmtMoney(row.actual.grossMargin), 'gross-margin')}
      ${card('Open pipeline', `${fmtMoney(row.quotes.pipelineValue)} (${fmtInt(row.quotes.pipelineCount)})`, 'pipeline')}
    </div>
    <div class="charts" id="charts"></div>
    <section id="children-section"><div class="section-head"><h2>${esc(CHILD_LEVEL[level] ? `${CHILD_LEVEL[level]}s` : 'Documents credited')} — year ${esc(yearly.period)}</h2><button id="csv-year">Export CSV</button></div><div id="children"></div></section>
    <section><div class="section-head"><h2>By month</h2></div><div id="months"></div></section>`;

  const charts = host.querySelector<HTMLElement>('#charts')!;
  const labels = months;
  chart(
    charts,
    'Revenue: target against actual by month',
    {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { type: 'bar', label: 'Actual revenue', data: monthly.map((d) => units(d.row.actual.revenue)), backgroundColor: PALETTE[0] },
          {
            type: 'line',
            label: 'Target',
            data: monthly.map((d) => units(d.row.target?.revenue)),
            borderColor: PALETTE[1],
            backgroundColor: PALETTE[1],
          },
        ],
      },
    },
    'target-actual',
  );
  chart(
    charts,
    'Achievement by month (%)',
    {
      type: 'line',
      data: {
        labels,
        datasets: [
          {
            label: 'Revenue',
            data: monthly.map((d) => (d.row.achievementBp.revenue === null ? null : d.row.achievementBp.revenue / 100)),
            borderColor: PALETTE[0],
            backgroundColor: PALETTE[0],
          },
          {
            label: 'Gross margin',
            data: monthly.map((d) => (d.row.achievementBp.grossMargin === null ? null : d.row.achievementBp.grossMargin / 100)),
            borderColor: PALETTE[2],
            backgroundColor: PALETTE[2],
          },
        ],
      },
    },
    'achievement',
  );
  chart(
    charts,
    'Gross margin: target against actual by month',
    {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { type: 'bar', label: 'Gross margin', data: monthly.map((d) => units(d.row.actual.grossMargin)), backgroundColor: PALETTE[2] },
          {
            type: 'line',
            label: 'Target',
            data: monthly.map((d) => units(d.row.target?.grossMargin)),
            borderColor: PALETTE[1],
            backgroundColor: PALETTE[1],
          },
        ],
      },
    },
    'margin',
  );
  const kids = yearly.children;
  const forecastRows = kids.length ? kids : [row];
  chart(
    charts,
    `Year ${yearly.period}: run-rate forecast, target and open pipeline`,
    {
      type: 'bar',
      data: {
        labels: forecastRows.map((r) => r.name ?? r.nodeId),
        datasets: [
          { label: 'Forecast', data: forecastRows.map((r) => units(r.forecast.revenue)), backgroundColor: PALETTE[0] },
          { label: 'Target', data: forecastRows.map((r) => units(r.target?.revenue)), backgroundColor: PALETTE[1] },
          { label: 'Pipeline', data: forecastRows.map((r) => units(r.quotes.pipelineValue)), backgroundColor: PALETTE[4] },
        ],
      },
    },
    'forecast',
  );

  const childColumns: Column<Row>[] = [
    { key: 'name', label: 'Name', value: (r) => r.name ?? r.nodeId },
    { key: 'target', label: 'Target', value: (r) => r.target?.revenue ?? null, html: (r) => fmtMoney(r.target?.revenue), numeric: true },
    { key: 'revenue', label: 'Revenue', value: (r) => r.actual.revenue, html: (r) => fmtMoney(r.actual.revenue), numeric: true },
    {
      key: 'achievement',
      label: 'Achievement',
      value: (r) => r.achievementBp.revenue,
      html: (r) => fmtBp(r.achievementBp.revenue),
      numeric: true,
    },
    { key: 'forecast', label: 'Forecast', value: (r) => r.forecast.revenue, html: (r) => fmtMoney(r.forecast.revenue), numeric: true },
    {
      key: 'margin',
      label: 'Gross margin',
      value: (r) => r.actual.grossMargin,
      html: (r) => fmtMoney(r.actual.grossMargin),
      numeric: true,
    },
    {
      key: 'booked',
      label: 'Orders booked',
      value: (r) => r.actual.ordersBooked,
      html: (r) => fmtMoney(r.actual.ordersBooked),
      numeric: true,
    },
    {
      key: 'pipeline',
      label: 'Pipeline',
      value: (r) => r.quotes.pipelineValue,
      html: (r) => fmtMoney(r.quotes.pipelineValue),
      numeric: true,
    },
    { key: 'winrate', label: 'Win rate', value: (r) => r.quotes.winRateBp, html: (r) => fmtBp(r.quotes.winRateBp), numeric: true },
    {
      key: 'visits',
      label: 'Visits',
      value: (r) => r.visits.actual,
      html: (r) => `${fmtInt(r.visits.actual)} / ${fmtInt(r.visits.planned)} planned`,
      numeric: true,
    },
  ];
  const childHost = host.querySelector<HTMLElement>('#children')!;
  if (kids.length)
    table(childHost, childColumns, kids, {
      id: 'children',
      rowKey: (r) => r.nodeId,
      onRow: (r) => (location.hash = link(r.level, r.nodeId, [...trail, here])),
    });
  else
    table(
      childHost,
      [
        { key: 'date', label: 'Business date', value: (d: Document) => d.businessDate },
        { key: 'kind', label: 'Document', value: (d) => d.kind.replace(/_/g, ' ') },
        { key: 'amount', label: 'Amount', value: (d) => d.amount, html: (d) => fmtMoney(d.amount), numeric: true },
        { key: 'quantity', label: 'Quantity', value: (d) => d.quantity, numeric: true },
        { key: 'margin', label: 'Gross margin', value: (d) => d.grossMargin, html: (d) => fmtMoney(d.grossMargin), numeric: true },
      ],
      [...(yearly.documents ?? [])].sort((a, b) => (a.businessDate < b.businessDate ? 1 : a.businessDate > b.businessDate ? -1 : 0)),
      { id: 'documents', empty: 'No document credited this year' },
    );
  host
    .querySelector('#csv-year')!
    .addEventListener('click', async () => download(`sales-progress-${level}-${id}-${year}.csv`, await apiCsv(url(year))));

  const monthColumns: Column<{ period: string; row: Row }>[] = [
    { key: 'period', label: 'Month', value: (d) => d.period },
    ...childColumns.slice(1).map((c) => ({
      ...c,
      value: (d: { row: Row }) => c.value(d.row),
      html: (d: { row: Row }) => (c.html ? c.html(d.row) : esc(c.value(d.row))),
    })),
  ];
  table(
    host.querySelector<HTMLElement>('#months')!,
    monthColumns,
    monthly.map((d) => ({ period: d.period, row: d.row })),
    { id: 'months', rowKey: (d) => d.period },
  );
};
