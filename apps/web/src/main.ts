import { ApiError, scheduleRefresh, session, signInWith, signOut, whenSessionEnds } from './api';
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

const signIn = (notice = '') => {
  nav.innerHTML = '';
  who.innerHTML = '';
  app.innerHTML = `
    <section class="signin">
      <h1>Sign in</h1>
      ${notice ? `<div class="error" id="session-ended">${esc(notice)}</div>` : ''}
      <p>Paste your access token, your refresh token, or your whole entry of the demo's <code>data/demo-tokens.json</code>
      (an administrator issues tokens with <code>POST /api/auth/tokens</code>). Access tokens live 15 minutes: with a refresh
      token the dashboard renews them while you work. A refresh token is used once and signing out revokes both: for a
      demo user signed out already, <code>npm run demo:tokens</code> writes new ones.</p>
      <form id="signin"><textarea id="token" rows="4" placeholder="eyJ… or { &quot;token&quot;: …, &quot;refreshToken&quot;: … }" required></textarea><button type="submit">Sign in</button></form>
      <div id="signin-error"></div>
    </section>`;
  app.querySelector<HTMLFormElement>('#signin')!.addEventListener('submit', async (e) => {
    e.preventDefault();
    let claims: { userId: string; roles: string[] };
    try {
      // The user's current roles, as the API knows them (a token carries none).
      claims = await signInWith(app.querySelector<HTMLTextAreaElement>('#token')!.value);
    } catch (err) {
      const reason = err instanceof ApiError ? `${err.status}${err.code ? ` ${err.code}` : ''}` : String(err);
      app.querySelector('#signin-error')!.innerHTML = `<div class="error">This token is not accepted (${esc(reason)}).</div>`;
      return;
    }
    const target = `#/${allowed(claims.roles)[0]?.path ?? 'live'}`;
    if (location.hash === target) void route();
    else location.hash = target; // hashchange routes
  });
};

// A refresh refused (revoked elsewhere, or used by another tab): back to the sign-in, saying why.
whenSessionEnds((reason) => {
  leave?.();
  leave = null;
  signIn(reason);
});

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
  who.querySelector('#signout')!.addEventListener('click', async () => {
    leave?.();
    leave = null;
    await signOut();
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
// A reload keeps the tab's session: its refresh timer starts again.
scheduleRefresh();
void route();
