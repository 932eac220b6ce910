import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * The domain is pure: requiring any decider module loads domain code and the shared kernel, and
 * nothing else: no NestJS, no driver (better-sqlite3, mongodb, pg, kurrent), no swagger, no
 * application or HTTP code of any context. Checked with a real `require` in a child process
 * (module-load-report.cjs), so a re-export through a barrel cannot hide a dependency.
 */
const root = resolve(__dirname, '../../../..');
const libs = join(root, 'libs');

const domainModules = (): string[] => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'testing') walk(path);
      } else if (
        /\.ts$/.test(entry.name) &&
        !/\.spec\.ts$/.test(entry.name) &&
        (/\/src\/domain\//.test(path) || /\.decider\.ts$/.test(entry.name))
      ) {
        files.push(relative(root, path));
      }
    }
  };
  walk(libs);
  return files.sort();
};

const PURE = /^libs\/([^/]+\/src\/domain\/|shared-kernel\/src\/(?!testing\/))|\.decider\.ts$/;
const FORBIDDEN =
  /node_modules\/(@nestjs\/|@kurrent\/|better-sqlite3\/|mongodb\/|pg\/|pg-[^/]+\/|swagger-ui-dist\/|class-validator\/|express\/)/;

describe('domain purity', () => {
  const modules = domainModules();
  let loaded: Record<string, string[]>;

  beforeAll(() => {
    const output = execFileSync(process.execPath, [join(__dirname, 'module-load-report.cjs'), ...modules], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    loaded = JSON.parse(output) as Record<string, string[]>;
  }, 60_000);

  it('finds the decider modules of every context', () => {
    for (const context of ['customers', 'organization', 'performance', 'pricing', 'receivables', 'sales', 'targets']) {
      expect(modules).toContain(`libs/${context}/src/domain/index.ts`);
    }
    expect(modules).toContain('libs/sales/src/domain/order.ts');
    expect(modules).toContain('libs/core/src/auth/user-access.decider.ts');
  });

  it('loads no NestJS, driver or swagger module when requiring any of them', () => {
    const offenders = Object.fromEntries(
      Object.entries(loaded)
        .map(([file, deps]) => [file, deps.filter((d) => FORBIDDEN.test(d))])
        .filter(([, deps]) => deps.length > 0),
    );
    expect(offenders).toEqual({});
  });

  it('loads only domain code and the shared kernel, and no package at all', () => {
    const outside = Object.fromEntries(
      Object.entries(loaded)
        .map(([file, deps]) => [file, deps.filter((d) => !PURE.test(d))])
        .filter(([, deps]) => deps.length > 0),
    );
    expect(outside).toEqual({});
    expect(loaded['libs/sales/src/domain/order.ts'].length).toBeLessThan(40);
  });
});
