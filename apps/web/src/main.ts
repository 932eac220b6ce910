import { ApiError, api, claimsOf, session } from './api';
import { esc } from './format';
import { auditPage } from './pages/audit';
import { livePage } from './pages/live';
import { ordersPage } from './pages/orders';
import { peoplePage } from './pages/people';
import { progressPage } from './pages/progress';
import { receivablesPage } from './pages/receivables';

// A page's render may hand back how to stop what it started (the live page's stream).
type Page = {
  path: string;
  title: string;
  roles: string[];
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
  render: (host: HTMLElement, params: URLSearchParams) => Promise<void | (() => void)>;
};

/** Each page is offered to the roles the API lets read its figures (the API still checks every request). */
const PAGES: Page[] = [
  {
    path: 'progress',
    title: 'Sales progress',
    roles: ['sales_manager', 'finance', 'analyst', 'admin_department', 'auditor', 'salesperson'],
    render: progressPage,
  },
  { path: 'orders', title: 'Orders', roles: ['salesperson', 'sales_manager', 'finance', 'analyst', 'auditor'], render: ordersPage },
  { path: 'receivables', title: 'Receivables', roles: ['finance', 'sales_manager', 'analyst', 'auditor'], render: receivablesPage },
  {
    path: 'people',
    title: 'People',
    roles: ['sales_manager', 'admin_department', 'analyst', 'auditor', 'salesperson'],
    render: peoplePage,
  },
  { path: 'audit', title: 'Audit', roles: ['auditor', 'admin'], render: auditPage },
  {
    path: 'live',
    title: 'Live',
    roles: ['salesperson', 'sales_manager', 'finance', 'analyst', 'auditor', 'integration', 'admin'],
    render: livePage,
  },
];

const app = document.getElementById('app')!;
const nav = document.getElementById('nav')!;
const who = document.getElementById('who')!;
let leave: (() => void) | null = null;

const allowed = (roles: string[]) => PAGES.filter((p) => p.roles.some((r) => roles.includes(r)));

const signIn = () => {
  nav.innerHTML = '';
  who.innerHTML = '';
  app.innerHTML = `
    <section class="signin">
      <h1>Sign in</h1>
      <p>Paste your access token (an administrator issues it with <code>POST /api/auth/tokens</code>; the demo writes its users' tokens to <code>data/demo-tokens.json</code>).</p>
      <form id="signin"><textarea id="token" rows="4" placeholder="sl_…" required></textarea><button type="submit">Sign in</button></form>
      <div id="signin-error"></div>
    </section>`;
  app.querySelector<HTMLFormElement>('#signin')!.addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = app.querySelector<HTMLTextAreaElement>('#token')!.value.trim();
    session.set({ token, ...claimsOf(token) });
    let claims: { userId: string; roles: string[] };
    try {
      // The user's current roles, as the API knows them (a token carries none).
      claims = await api<{ userId: string; roles: string[] }>('/api/auth/me');
      session.set({ token, ...claims });
    } catch (err) {
      session.clear();
      const status = err instanceof ApiError ? err.status : 0;
      app.querySelector('#signin-error')!.innerHTML = `<div class="error">This token is not accepted (${status}).</div>`;
      return;
    }
    const target = `#/${allowed(claims.roles)[0]?.path ?? 'live'}`;
    if (location.hash === target) void route();
    else location.hash = target; // hashchange routes
  });
};

const route = async () => {
  leave?.();
  leave = null;
  const s = session.get();
  if (!s) return signIn();
  const pages = allowed(s.roles);
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const page = pages.find((p) => p.path === path) ?? pages[0];
  nav.innerHTML = pages
    .map((p) => `<a href="#/${p.path}" class="${p === page ? 'active' : ''}" data-page="${p.path}">${esc(p.title)}</a>`)
    .join('');
  who.innerHTML = `<span>${esc(s.userId)} · ${esc(s.roles.join(', '))}</span> <button id="signout">Sign out</button>`;
  who.querySelector('#signout')!.addEventListener('click', () => {
    session.clear();
    location.hash = '';
    signIn();
  });
  if (!page) {
    app.innerHTML = `<p>No page for the roles ${esc(s.roles.join(', '))}.</p>`;
    return;
  }
  document.title = `${page.title} · Salesline`;
  const host = document.createElement('div');
  host.className = 'page';
  host.dataset.page = page.path;
  host.innerHTML = `<div class="loading">Loading ${esc(page.title)}…</div>`;
  app.replaceChildren(host);
  try {
    const cleanup = await page.render(host, new URLSearchParams(query ?? ''));
    if (typeof cleanup === 'function') leave = cleanup;
  } catch (err) {
    host.innerHTML = `<div class="error">${esc(err instanceof Error ? err.message : String(err))}</div>`;
  }
  host.dataset.ready = 'true';
};

window.addEventListener('hashchange', route);
route();
