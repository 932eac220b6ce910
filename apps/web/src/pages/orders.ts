import { api, apiCsv, session } from '../api';
import { esc, fmtBp, fmtInt, fmtMoney } from '../format';
import { card, Column, download, table } from '../ui';

type Line = {
  lineId: string;
  productId: string;
  ordered: number;
  cancelled: number;
  delivered: number;
  returnedReceived: number;
  billed: number;
  credited: number;
  openToDeliver: number;
  billable: number;
  unitPrice: number;
  value: number;
  cost: number;
};
type Order = {
  id: string;
  customerId: string;
  customerName: string | null;
  orderDate: string;
  salespersonId: string;
  status: string;
  value: number;
  margin: number;
  marginBp: number;
  deliveredBp: number;
  billedBp: number;
  invoicedAmount: number;
  unbilledValue: number;
  credit: {
    status: string;
    holdReason: string | null;
    checkedAmount: number;
    checkedOn: string;
    releasedBy: string | null;
    releasedOn: string | null;
  };
  lines: Line[];
  deliveries: { billOfLading: string; carrier: string; deliveryDate: string; lines: { lineId: string; quantity: number }[] }[];
  invoices: { invoiceId: string; amount: number; invoiceDate: string; dueDate: string }[];
  creditNotes: { creditNoteId: string; amount: number; issuedOn: string }[];
  returns: { returnId: string; status: string; reason: string; requestedOn: string; receivedOn: string | null }[];
  cancellations: { cancelledOn: string; reason: string }[];
  overrides: {
    overrideId: string;
    status: string;
    requestedBy: string;
    requestedOn: string;
    requestedUnitPrice: number;
    resolvedUnitPrice: number;
    decidedBy: string | null;
    decidedOn: string | null;
  }[];
};
type Board = { items: Order[]; total: number; totals: { count: number; value: number; cost: number; margin: number; marginBp: number } };

const STATUSES = ['awaiting_price_approval', 'on_credit_hold', 'to_deliver_and_bill', 'to_deliver', 'to_bill', 'completed', 'cancelled'];

const boardColumns: Column<Order>[] = [
  { key: 'orderDate', label: 'Date', value: (o) => o.orderDate },
  { key: 'customer', label: 'Customer', value: (o) => o.customerName ?? o.customerId },
  { key: 'salesperson', label: 'Salesperson', value: (o) => o.salespersonId },
  {
    key: 'status',
    label: 'Status',
    value: (o) => o.status,
    html: (o) => `<span class="status s-${esc(o.status)}">${esc(o.status.replace(/_/g, ' '))}</span>`,
  },
  { key: 'value', label: 'Value', value: (o) => o.value, html: (o) => fmtMoney(o.value), numeric: true },
  { key: 'margin', label: 'Margin', value: (o) => o.margin, html: (o) => fmtMoney(o.margin), numeric: true },
  { key: 'delivered', label: 'Delivered', value: (o) => o.deliveredBp, html: (o) => fmtBp(o.deliveredBp), numeric: true },
  { key: 'billed', label: 'Billed', value: (o) => o.billedBp, html: (o) => fmtBp(o.billedBp), numeric: true },
];

/** The order board with filters; one order's lines and history; orders held for finance. */
export const ordersPage = async (host: HTMLElement, params: URLSearchParams) => {
  const s = session.get()!;
  const filters = {
    status: params.get('status') ?? '',
    salespersonId: params.get('salespersonId') ?? '',
    customerId: params.get('customerId') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  query.set('limit', '50');
  const [board, holds, staff] = await Promise.all([
    api<Board>(`/api/orders?${query}`),
    api<Board>('/api/orders?status=on_credit_hold&limit=100'),
    api<{ items: { employeeId: string; name: string }[] }>('/api/employees').catch(() => ({ items: [] })),
  ]);
  host.innerHTML = `
    <div class="head"><h1>Orders</h1></div>
    <form class="filters" id="filters">
      <label>Status <select name="status"><option value="">any</option>${STATUSES.map((st) => `<option ${st === filters.status ? 'selected' : ''}>${st}</option>`).join('')}</select></label>
      <label>Salesperson <input name="salespersonId" list="salespeople" value="${esc(filters.salespersonId)}" placeholder="sp-anna" /><datalist id="salespeople">${staff.items.map((e) => `<option value="${esc(e.employeeId)}">${esc(e.name)}</option>`).join('')}</datalist></label>
      <label>Customer id <input name="customerId" value="${esc(filters.customerId)}" /></label>
      <label>From <input type="date" name="from" value="${esc(filters.from)}" /></label>
      <label>To <input type="date" name="to" value="${esc(filters.to)}" /></label>
      <button type="submit">Filter</button>
    </form>
    <div class="cards">
      ${card('Orders', fmtInt(board.totals.count), 'orders-count')}
      ${card('Value', fmtMoney(board.totals.value), 'orders-value')}
      ${card('Margin', `${fmtMoney(board.totals.margin)} (${fmtBp(board.totals.marginBp)})`, 'orders-margin')}
      ${card('Held for finance', fmtInt(holds.total), 'holds-count')}
    </div>
    <div class="split">
      <section><div class="section-head"><h2>Order board <small>(${fmtInt(board.items.length)} of ${fmtInt(board.total)}, newest first)</small></h2><button id="csv-board">Export CSV</button></div><div id="board"></div></section>
      <section id="detail" class="detail"><p class="sub">Choose an order to see its lines and history.</p></section>
    </div>
    <section><div class="section-head"><h2>Credit holds waiting for finance</h2></div><div id="holds"></div></section>`;
  host.querySelector<HTMLFormElement>('#filters')!.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const q = new URLSearchParams([...data.entries()].filter(([, v]) => v) as [string, string][]);
    location.hash = `#/orders?${q}`;
  });
  const show = (o: Order) => detail(host.querySelector<HTMLElement>('#detail')!, o.id, s.roles);
  table(host.querySelector<HTMLElement>('#board')!, boardColumns, board.items, { id: 'orders', rowKey: (o) => o.id, onRow: show });
  table(
    host.querySelector<HTMLElement>('#holds')!,
    [
      ...boardColumns.slice(0, 3),
      { key: 'reason', label: 'Hold reason', value: (o) => o.credit.holdReason ?? '' },
      {
        key: 'checked',
        label: 'Checked amount',
        value: (o) => o.credit.checkedAmount,
        html: (o) => fmtMoney(o.credit.checkedAmount),
        numeric: true,
      },
      { key: 'since', label: 'Since', value: (o) => o.credit.checkedOn },
    ],
    holds.items,
    { id: 'holds', rowKey: (o) => o.id, onRow: show, empty: 'No order is waiting for finance' },
  );
  host.querySelector('#csv-board')!.addEventListener('click', async () => download('orders.csv', await apiCsv(`/api/orders?${query}`)));
  const open = params.get('order');
  if (open) await detail(host.querySelector<HTMLElement>('#detail')!, open, s.roles);
};

let productNames: Promise<Map<string, string>> | null = null;
/** Product names for the order lines, read once from the product catalogue. */
const names = () =>
  (productNames ??= api<{ items: { id: string; sku: string; name: string }[] }>('/api/products?limit=1000').then(
    (r) => new Map(r.items.map((p) => [p.id, `${p.sku} ${p.name}`])),
    () => new Map(),
  ));

const detail = async (box: HTMLElement, id: string, roles: string[]) => {
  box.innerHTML = '<div class="loading">Loading order…</div>';
  const [o, products] = await Promise.all([api<Order>(`/api/orders/${encodeURIComponent(id)}`), names()]);
  type Step = { date: string; what: string };
  const history: Step[] = [
    { date: o.orderDate, what: `Order placed by ${o.salespersonId} — ${fmtMoney(o.value)}` },
    { date: o.credit.checkedOn, what: `Credit check: ${o.credit.status}${o.credit.holdReason ? ` (${o.credit.holdReason})` : ''}` },
    ...(o.credit.releasedOn ? [{ date: o.credit.releasedOn, what: `Credit hold released by ${o.credit.releasedBy}` }] : []),
    ...o.overrides.map((v) => ({
      date: v.decidedOn ?? v.requestedOn,
      what: `Price override ${v.status}: ${fmtMoney(v.requestedUnitPrice)} against ${fmtMoney(v.resolvedUnitPrice)}${v.decidedBy ? ` by ${v.decidedBy}` : ''}`,
    })),
    ...o.deliveries.map((d) => ({
      date: d.deliveryDate,
      what: `Delivered (${d.billOfLading}, ${d.carrier}): ${d.lines.map((l) => `${l.lineId} × ${l.quantity}`).join(', ')}`,
    })),
    ...o.invoices.map((i) => ({ date: i.invoiceDate, what: `Invoiced ${fmtMoney(i.amount)}, due ${i.dueDate}` })),
    ...o.returns.map((r) => ({ date: r.receivedOn ?? r.requestedOn, what: `Return ${r.status}: ${r.reason}` })),
    ...o.creditNotes.map((c) => ({ date: c.issuedOn, what: `Credit note ${fmtMoney(c.amount)}` })),
    ...o.cancellations.map((c) => ({ date: c.cancelledOn, what: `Cancelled: ${c.reason}` })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  box.innerHTML = `
    <div class="section-head"><h2>Order <code data-order-id="${esc(o.id)}">${esc(o.id.slice(0, 8))}</code> · ${esc(o.customerName ?? o.customerId)}</h2>${roles.some((r) => r === 'auditor' || r === 'admin') ? `<a href="#/audit?kind=order&id=${encodeURIComponent(o.id)}">Audit timeline</a>` : ''}</div>
    <p class="sub"><span class="status s-${esc(o.status)}">${esc(o.status.replace(/_/g, ' '))}</span> · value <b data-figure="order-value">${fmtMoney(o.value)}</b> · margin ${fmtMoney(o.margin)} (${fmtBp(o.marginBp)}) · invoiced ${fmtMoney(o.invoicedAmount)} · unbilled ${fmtMoney(o.unbilledValue)}</p>
    <div id="lines"></div>
    <h3>History</h3>
    <ol class="timeline" data-timeline="order">${history.map((h) => `<li><span class="when">${esc(h.date)}</span> ${esc(h.what)}</li>`).join('')}</ol>`;
  table(
    box.querySelector<HTMLElement>('#lines')!,
    [
      { key: 'line', label: 'Line', value: (l: Line) => l.lineId },
      { key: 'product', label: 'Product', value: (l) => products.get(l.productId) ?? l.productId.slice(0, 8) },
      { key: 'ordered', label: 'Ordered', value: (l) => l.ordered, numeric: true },
      { key: 'cancelled', label: 'Cancelled', value: (l) => l.cancelled, numeric: true },
      { key: 'delivered', label: 'Delivered', value: (l) => l.delivered, numeric: true },
      { key: 'billed', label: 'Billed', value: (l) => l.billed, numeric: true },
      { key: 'returned', label: 'Returned', value: (l) => l.returnedReceived, numeric: true },
      { key: 'open', label: 'Open', value: (l) => l.openToDeliver, numeric: true },
      { key: 'price', label: 'Unit price', value: (l) => l.unitPrice, html: (l) => fmtMoney(l.unitPrice), numeric: true },
      { key: 'value', label: 'Value', value: (l) => l.value, html: (l) => fmtMoney(l.value), numeric: true },
    ],
    o.lines,
    { id: 'lines', rowKey: (l) => l.lineId },
  );
};
