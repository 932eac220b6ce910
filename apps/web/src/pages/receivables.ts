import { api, apiCsv } from '../api';
import { chart, PALETTE } from '../charts';
import { esc, fmtInt, fmtMoney, units } from '../format';
import { card, Column, download, table } from '../ui';

type Aging = { current: number; days1to30: number; days31to60: number; days61to90: number; over90: number; total: number };
type Row = {
  customerId: string;
  customerName: string | null;
  openReceivables: number;
  aging: Aging;
  depositsOnHand: number;
  unallocatedCredit: number;
  disputedAmount: number;
  inDunningAmount: number;
  reservedForOrders: number;
  exposure: number;
  creditLimit: number | null;
  headroom: number | null;
};
type Report = { asOf: string; totals: Omit<Row, 'customerId' | 'customerName'> & { customers: number }; items: Row[] };
type OpenInvoice = {
  invoiceId: string;
  orderId: string;
  invoiceDate: string;
  dueDate: string;
  amount: number;
  openBalance: number;
  daysOverdue: number;
  bucket: string;
  disputed: boolean;
  inDunning: boolean;
};
type Customer = { id: string; name: string; status: string; blockedReason: string | null; creditLimit: number; ownerId: string };

const money = (f: (r: Row) => number | null) => ({ value: f, html: (r: Row) => fmtMoney(f(r)), numeric: true });
const columns: Column<Row>[] = [
  { key: 'customer', label: 'Customer', value: (r) => r.customerName ?? r.customerId },
  { key: 'current', label: 'Not due', ...money((r) => r.aging.current) },
  { key: 'd30', label: '1–30', ...money((r) => r.aging.days1to30) },
  { key: 'd60', label: '31–60', ...money((r) => r.aging.days31to60) },
  { key: 'd90', label: '61–90', ...money((r) => r.aging.days61to90) },
  { key: 'over90', label: '> 90', ...money((r) => r.aging.over90) },
  { key: 'open', label: 'Open', ...money((r) => r.openReceivables) },
  { key: 'disputed', label: 'Disputed', ...money((r) => r.disputedAmount) },
  { key: 'deposits', label: 'Deposits', ...money((r) => r.depositsOnHand) },
  { key: 'exposure', label: 'Exposure', ...money((r) => r.exposure) },
  { key: 'limit', label: 'Credit limit', ...money((r) => r.creditLimit) },
  { key: 'headroom', label: 'Headroom', ...money((r) => r.headroom) },
];

/** Aging by customer as of today, exposure against the credit limit, customers on hold, disputes and deposits. */
export const receivablesPage = async (host: HTMLElement) => {
  const [report, blocked] = await Promise.all([
    api<Report>('/api/receivables'),
    api<{ items: Customer[]; total: number }>('/api/customers?status=blocked&limit=1000'),
  ]);
  const t = report.totals;
  host.innerHTML = `
    <div class="head"><h1>Receivables</h1></div>
    <p class="sub">As of <b data-as-of>${esc(report.asOf)}</b> · ${fmtInt(t.customers)} customer accounts · aging by due date</p>
    <div class="cards">
      ${card('Open receivables', fmtMoney(t.openReceivables), 'open-receivables')}
      ${card('Overdue > 90 days', fmtMoney(t.aging.over90), 'over90')}
      ${card('Disputed', fmtMoney(t.disputedAmount), 'disputed')}
      ${card('Deposits on hand', fmtMoney(t.depositsOnHand), 'deposits')}
      ${card('Exposure', fmtMoney(t.exposure), 'exposure')}
      ${card('Customers on hold', fmtInt(blocked.total), 'on-hold')}
    </div>
    <div class="charts" id="charts"></div>
    <section><div class="section-head"><h2>Aging by customer</h2><button id="csv">Export CSV</button></div><div id="aging"></div></section>
    <section id="invoices" class="detail"><p class="sub">Choose a customer to see its open invoices.</p></section>
    <div class="split three">
      <section><div class="section-head"><h2>On hold</h2></div><div id="holds"></div></section>
      <section><div class="section-head"><h2>Disputes</h2></div><div id="disputes"></div></section>
      <section><div class="section-head"><h2>Deposits</h2></div><div id="deposits"></div></section>
    </div>`;
  const charts = host.querySelector<HTMLElement>('#charts')!;
  chart(
    charts,
    'Aging of open receivables',
    {
      type: 'bar',
      data: {
        labels: ['Not due', '1–30', '31–60', '61–90', '> 90'],
        datasets: [
          {
            label: 'Open balance',
            data: [t.aging.current, t.aging.days1to30, t.aging.days31to60, t.aging.days61to90, t.aging.over90].map(units),
            backgroundColor: [PALETTE[2], PALETTE[0], PALETTE[1], PALETTE[6], PALETTE[3]],
          },
        ],
      },
      options: { plugins: { legend: { display: false } } },
    },
    'aging',
  );
  const byExposure = [...report.items].sort((a, b) => b.exposure - a.exposure).slice(0, 15);
  chart(
    charts,
    'Largest exposures against their credit limits',
    {
      type: 'bar',
      data: {
        labels: byExposure.map((r) => r.customerName ?? r.customerId),
        datasets: [
          { label: 'Exposure', data: byExposure.map((r) => units(r.exposure)), backgroundColor: PALETTE[0] },
          { label: 'Credit limit', data: byExposure.map((r) => units(r.creditLimit)), backgroundColor: PALETTE[7] },
        ],
      },
      options: { indexAxis: 'y' },
    },
    'exposure',
  );
  const showInvoices = async (r: Row) => {
    const box = host.querySelector<HTMLElement>('#invoices')!;
    const acct = await api<{ openInvoices: OpenInvoice[] }>(`/api/receivables/${encodeURIComponent(r.customerId)}`);
    box.innerHTML = `<div class="section-head"><h2>Open invoices of ${esc(r.customerName ?? r.customerId)}</h2></div><div id="open-invoices"></div>`;
    table(
      box.querySelector<HTMLElement>('#open-invoices')!,
      [
        { key: 'invoiceDate', label: 'Invoice date', value: (i: OpenInvoice) => i.invoiceDate },
        { key: 'dueDate', label: 'Due', value: (i) => i.dueDate },
        { key: 'amount', label: 'Amount', value: (i) => i.amount, html: (i) => fmtMoney(i.amount), numeric: true },
        { key: 'open', label: 'Open', value: (i) => i.openBalance, html: (i) => fmtMoney(i.openBalance), numeric: true },
        { key: 'overdue', label: 'Days overdue', value: (i) => i.daysOverdue, numeric: true },
        { key: 'bucket', label: 'Bucket', value: (i) => i.bucket },
        { key: 'disputed', label: 'Disputed', value: (i) => (i.disputed ? 'yes' : '') },
        {
          key: 'order',
          label: 'Order',
          value: (i) => i.orderId,
          html: (i) => `<a href="#/orders?order=${encodeURIComponent(i.orderId)}">${esc(i.orderId.slice(0, 8))}</a>`,
        },
      ],
      acct.openInvoices,
      { id: 'open-invoices', empty: 'No open invoice' },
    );
    box.scrollIntoView({ block: 'nearest' });
  };
  table(host.querySelector<HTMLElement>('#aging')!, columns, report.items, {
    id: 'receivables',
    rowKey: (r) => r.customerId,
    onRow: showInvoices,
  });
  host
    .querySelector('#csv')!
    .addEventListener('click', async () => download(`receivables-${report.asOf}.csv`, await apiCsv('/api/receivables')));
  table(
    host.querySelector<HTMLElement>('#holds')!,
    [
      { key: 'name', label: 'Customer', value: (c: Customer) => c.name },
      { key: 'reason', label: 'Reason', value: (c) => c.blockedReason ?? '' },
      { key: 'owner', label: 'Owner', value: (c) => c.ownerId },
    ],
    blocked.items,
    { id: 'on-hold', empty: 'No customer is on hold' },
  );
  const pick = (f: (r: Row) => number, label: string, id: string) =>
    table(
      host.querySelector<HTMLElement>(`#${id}`)!,
      [columns[0], { key: id, label, ...money(f) }],
      report.items.filter((r) => f(r) > 0),
      { id, rowKey: (r) => r.customerId, onRow: showInvoices, empty: 'None' },
    );
  pick((r) => r.disputedAmount, 'Disputed', 'disputes');
  pick((r) => r.depositsOnHand, 'On hand', 'deposits');
};
