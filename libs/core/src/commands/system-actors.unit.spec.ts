import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isReservedUserId, SYSTEM_ACTOR, SYSTEM_ACTORS, systemRequest } from './system-actors';

const root = join(__dirname, '../../../..');

describe('the system actors: one declared list in core', () => {
  it('takes only ids that no person, token or API key may take (the auth endpoints refuse reserved ids)', () => {
    for (const actor of Object.values(SYSTEM_ACTORS)) expect([actor.userId, isReservedUserId(actor.userId)]).toEqual([actor.userId, true]);
    expect(['admin', 'Admin-2', 'system', 'SYSTEM_x', 'system:anything'].filter((id) => !isReservedUserId(id))).toEqual([]);
    expect(['alice', 'sysadmin', 'administrator', 'systems', 'anna-admin'].filter(isReservedUserId)).toEqual([]);
  });

  it('gives the request of a reaction: the cause’s correlation, caused by the event, today from now, the default actor', () => {
    const request = systemRequest({ correlationId: 'c-1', causationId: 'order-1@3' });
    expect(request).toMatchObject({ actor: SYSTEM_ACTOR, correlationId: 'c-1', causationId: 'order-1@3' });
    expect(request.today).toBe(request.now.slice(0, 10));
    expect(systemRequest({ correlationId: 'c-1', causationId: null }, SYSTEM_ACTORS.webhooks).actor.userId).toBe('system:webhooks');
  });

  it('is the only place that spells a system actor id (libs, apps)', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
        return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
      });
    const spelled = [...sources(join(root, 'libs')), ...sources(join(root, 'apps'))]
      .filter((path) => /['"`]system:/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(root, path));
    expect(spelled).toEqual(['libs/core/src/commands/system-actors.ts']);
  });
});
