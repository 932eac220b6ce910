import { api, apiCsv, session } from '../api';
import { chart, PALETTE } from '../charts';
import { esc, fmtBp, fmtInt, fmtMoney, lastMonths } from '../format';
import { Column, download, table } from '../ui';

type Item = { itemId?: string; name?: string; source: string; weight?: number; value: number | null; points: number | null };
type Appraisal = {
  total: number | null;
  outcome: string;
  status: string;
  revision: number;
  items: Item[];
  rewardGranted?: { kind: string; amount: number | null } | null;
};
type Row = {
  employeeId: string;
  name: string | null;
  teamId: string | null;
  regionId: string | null;
  appraisal: Appraisal;
  rankInTeam: { rank: number; of: number } | null;
  rankInRegion: { rank: number; of: number } | null;
  trend: { period: string; total: number | null }[];
  openImprovementPlans: unknown[];
  discipline: { openCases: number; [k: string]: unknown };
};
type Plan = {
  planId: string;
  employeeId: string;
  deadline: string;
  status: string;
  goals: { description: string; target?: string }[];
  overdue?: { daysOverdue: number } | null;
  outcome?: string | null;
};
type Case = {
  caseId: string;
  employeeId: string;
  kind: string;
  ruleId: string;
  status: string;
  openedOn: string;
  triggeringFacts: { kind: string; occurredOn: string }[];
};
type Scheme = {
  current: number;
  versions: {
    version: number;
    effectiveFrom: string;
    items: { itemId: string; name: string; weight: number; source: string; standardText: string }[];
    rewardAtOrAbove: number;
    improvementPlanBelow: number;
  }[];
};

const outcomeBadge = (o: string) => `<span class="status o-${esc(o)}">${esc(o.replace(/_/g, ' '))}</span>`;

/** The appraisal leaderboard of a month, one scorecard with its written standards, improvement plans and discipline cases. */
export const peoplePage = async (host: HTMLElement, params: URLSearchParams) => {
  const s = session.get()!;
  const months = lastMonths(12);
  const period = params.get('period') ?? months[months.length - 1];
  const ownOnly = !['sales_manager', 'admin_department', 'analyst', 'auditor'].some((r) => s.roles.includes(r));
  const periodSelect = `<label>Month <select id="period">${[...months]
    .reverse()
    .map((m) => `<option ${m === period ? 'selected' : ''}>${m}</option>`)
    .join('')}</select></label>`;
  if (ownOnly) {
    host.innerHTML = `<div class="head"><h1>My scorecard</h1>${periodSelect}</div><div id="scorecard"></div><section><div class="section-head"><h2>My improvement plans</h2></div><div id="plans"></div></section>`;
    wirePeriod(host);
    const [scheme, plans] = await Promise.all([
      api<Scheme>('/api/appraisal-schemes'),
      api<{ items: Plan[] }>(`/api/improvement-plans?employeeId=${encodeURIComponent(s.userId)}`),
    ]);
    await scorecard(host.querySelector<HTMLElement>('#scorecard')!, s.userId, period, scheme);
    plansTable(host.querySelector<HTMLElement>('#plans')!, plans.items);
    return;
  }
  const canCases = ['sales_manager', 'admin_department', 'auditor'].some((r) => s.roles.includes(r));
  const [report, plans, cases, scheme] = await Promise.all([
    api<{ period: string; rows: Row[] }>(`/api/reports/appraisals?period=${period}`),
    api<{ items: Plan[] }>('/api/improvement-plans'),
    canCases ? api<{ items: Case[] }>('/api/disciplinary-cases') : Promise.resolve({ items: [] as Case[] }),
    api<Scheme>('/api/appraisal-schemes'),
  ]);
  const rows = report.rows;
  host.innerHTML = `
    <div class="head"><h1>People</h1>${periodSelect}</div>
    <p class="sub">Scheme version ${fmtInt(scheme.current)}: reward at ${fmtInt(currentScheme(scheme)?.rewardAtOrAbove)} points or more, improvement plan below ${fmtInt(currentScheme(scheme)?.improvementPlanBelow)}. Ranks, totals and outcomes as the API scored them.</p>
    <div class="split even">
      <section><div class="section-head"><h2>Leaderboard ${esc(report.period)}</h2><button id="csv">Export CSV</button></div><div id="board"></div></section>
      <section id="scorecard" class="detail"><p class="sub">Choose a salesperson to see the scorecard.</p></section>
    </div>
    <div class="charts" id="charts"></div>
    <section><div class="section-head"><h2>Improvement plans</h2></div><div id="plans"></div></section>
    ${canCases ? `<section><div class="section-head"><h2>Discipline cases</h2></div><div id="cases"></div></section>` : ''}`;
  wirePeriod(host);
  const board = [...rows].sort((a, b) => (b.appraisal.total ?? -1) - (a.appraisal.total ?? -1));
  const columns: Column<Row>[] = [
    { key: 'name', label: 'Salesperson', value: (r) => r.name ?? r.employeeId },
    { key: 'team', label: 'Team', value: (r) => r.teamId },
    { key: 'total', label: 'Total', value: (r) => r.appraisal.total, numeric: true },
    {
      key: 'rankTeam',
      label: 'Rank in team',
      value: (r) => r.rankInTeam?.rank ?? null,
      html: (r) => (r.rankInTeam ? `${r.rankInTeam.rank} / ${r.rankInTeam.of}` : '—'),
      numeric: true,
    },
    {
      key: 'rankRegion',
      label: 'Rank in region',
      value: (r) => r.rankInRegion?.rank ?? null,
      html: (r) => (r.rankInRegion ? `${r.rankInRegion.rank} / ${r.rankInRegion.of}` : '—'),
      numeric: true,
    },
    { key: 'outcome', label: 'Outcome', value: (r) => r.appraisal.outcome, html: (r) => outcomeBadge(r.appraisal.outcome) },
    { key: 'cases', label: 'Open cases', value: (r) => r.discipline.openCases, numeric: true },
  ];
  table(host.querySelector<HTMLElement>('#board')!, columns, board, {
    id: 'leaderboard',
    rowKey: (r) => r.employeeId,
    onRow: (r) => scorecard(host.querySelector<HTMLElement>('#scorecard')!, r.employeeId, period, scheme),
  });
  host
    .querySelector('#csv')!
    .addEventListener('click', async () => download(`appraisals-${period}.csv`, await apiCsv(`/api/reports/appraisals?period=${period}`)));
  chart(
    host.querySelector<HTMLElement>('#charts')!,
    `Appraisal totals ${report.period}`,
    {
      type: 'bar',
      data: {
        labels: board.map((r) => r.name ?? r.employeeId),
        datasets: [
          {
            label: 'Total points',
            data: board.map((r) => r.appraisal.total),
            backgroundColor: board.map((r) =>
              r.appraisal.outcome === 'reward' ? PALETTE[2] : r.appraisal.outcome === 'improvement_plan' ? PALETTE[3] : PALETTE[0],
            ),
          },
        ],
      },
      options: { plugins: { legend: { display: false } }, scales: { y: { min: 0, max: 100 } } },
    },
    'totals',
  );
  plansTable(host.querySelector<HTMLElement>('#plans')!, plans.items);
  if (canCases)
    table(
      host.querySelector<HTMLElement>('#cases')!,
      [
        { key: 'employee', label: 'Salesperson', value: (c: Case) => c.employeeId },
        { key: 'kind', label: 'Kind', value: (c) => c.kind.replace(/_/g, ' ') },
        { key: 'rule', label: 'Rule', value: (c) => c.ruleId },
        { key: 'status', label: 'Status', value: (c) => c.status },
        { key: 'opened', label: 'Opened', value: (c) => c.openedOn },
        { key: 'facts', label: 'Triggered by', value: (c) => c.triggeringFacts.map((f) => `${f.kind} ${f.occurredOn}`).join(', ') },
      ],
      cases.items,
      { id: 'cases', empty: 'No discipline case' },
    );
  const open = params.get('employee');
  if (open) await scorecard(host.querySelector<HTMLElement>('#scorecard')!, open, period, scheme);
};

/** A measured value in its unit: most sources are basis points; service feedback is the average score × 100; discipline counts cases. */
const measured = (i: Item) => {
  if (i.value === null) return 'not measured';
  if (i.source === 'service_feedback') return `${(i.value / 100).toFixed(2)} avg`;
  if (i.source === 'discipline') return `${fmtInt(i.value)} case(s)`;
  return fmtBp(i.value);
};

const currentScheme = (scheme: Scheme) =>
  scheme.versions.find((v) => v.version === scheme.current) ?? scheme.versions[scheme.versions.length - 1];

const plansTable = (host: HTMLElement, plans: Plan[]) =>
  table(
    host,
    [
      { key: 'employee', label: 'Salesperson', value: (p: Plan) => p.employeeId },
      { key: 'deadline', label: 'Deadline', value: (p) => p.deadline },
      { key: 'status', label: 'Status', value: (p) => p.status },
      { key: 'outcome', label: 'Outcome', value: (p) => p.outcome ?? '' },
      { key: 'overdue', label: 'Days overdue', value: (p) => p.overdue?.daysOverdue ?? null, numeric: true },
      { key: 'goals', label: 'Goals', value: (p) => p.goals.map((g) => g.description).join('; ') },
    ],
    plans,
    { id: 'plans', empty: 'No improvement plan' },
  );

const wirePeriod = (host: HTMLElement) =>
  host
    .querySelector<HTMLSelectElement>('#period')!
    .addEventListener('change', (e) => (location.hash = `#/people?period=${(e.target as HTMLSelectElement).value}`));

const scorecard = async (box: HTMLElement, employeeId: string, period: string, scheme: Scheme) => {
  box.innerHTML = '<div class="loading">Loading scorecard…</div>';
  const sc = await api<Row & { period: string }>(`/api/employees/${encodeURIComponent(employeeId)}/scorecard?period=${period}`);
  const version = currentScheme(scheme);
  const standard = (source: string) => version?.items.find((i) => i.source === source);
  box.innerHTML = `
    <div class="section-head"><h2 data-scorecard="${esc(sc.employeeId)}">${esc(sc.name ?? sc.employeeId)} · ${esc(sc.period)}</h2></div>
    <p class="sub">Total <b data-figure="scorecard-total">${fmtInt(sc.appraisal.total)}</b> · ${outcomeBadge(sc.appraisal.outcome)} · ${esc(sc.appraisal.status)}${sc.rankInTeam ? ` · rank ${sc.rankInTeam.rank} of ${sc.rankInTeam.of} in ${esc(sc.teamId)}` : ''}${sc.appraisal.rewardGranted ? ` · reward ${esc(sc.appraisal.rewardGranted.kind)} ${fmtMoney(sc.appraisal.rewardGranted.amount)}` : ''}</p>
    <div id="items"></div>
    <div id="trend"></div>
    <p class="sub">${fmtInt(sc.openImprovementPlans.length)} open improvement plan(s) · ${fmtInt(sc.discipline.openCases)} open discipline case(s)</p>`;
  table(
    box.querySelector<HTMLElement>('#items')!,
    [
      { key: 'item', label: 'Item', value: (i: Item) => standard(i.source)?.name ?? i.name ?? i.source },
      { key: 'weight', label: 'Weight', value: (i) => standard(i.source)?.weight ?? i.weight ?? null, numeric: true },
      { key: 'value', label: 'Measured', value: (i) => i.value, html: (i) => measured(i), numeric: true },
      { key: 'points', label: 'Points', value: (i) => i.points, html: (i) => (i.points === null ? '—' : fmtInt(i.points)), numeric: true },
      { key: 'standard', label: 'Written standard', value: (i) => standard(i.source)?.standardText ?? '' },
    ],
    sc.appraisal.items,
    { id: 'scorecard-items', rowKey: (i) => i.source },
  );
  chart(
    box.querySelector<HTMLElement>('#trend')!,
    'Trend',
    {
      type: 'line',
      data: {
        labels: sc.trend.map((t) => t.period),
        datasets: [{ label: 'Total', data: sc.trend.map((t) => t.total), borderColor: PALETTE[0], backgroundColor: PALETTE[0] }],
      },
      options: { plugins: { legend: { display: false } }, scales: { y: { min: 0, max: 100 } } },
    },
    'trend',
  );
};
