/**
 * Run with node: `node module-load-report.cjs <file.ts>...`. Loads each TypeScript file in a fresh
 * module cache (transpiled with swc, `@salesline/*` resolved as in tsconfig) and prints, as JSON,
 * every module file that loading it pulled in. Used by the domain purity spec: a real `require`,
 * not a reading of import lines, so a re-export through a barrel cannot hide a dependency.
 */
'use strict';
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { transformSync } = require('@swc/core');

const root = resolve(__dirname, '../../../..');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const alias = /^@salesline\/([^/]+)(\/.*)?$/.exec(request);
  const target = alias ? join(root, 'libs', alias[1], 'src', alias[2] ?? '') : request;
  return resolveFilename.call(this, target, parent, ...rest);
};
Module._extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

const before = new Set(Object.keys(require.cache));
const report = {};
for (const file of process.argv.slice(2)) {
  for (const key of Object.keys(require.cache)) if (!before.has(key)) delete require.cache[key];
  require(resolve(file));
  report[file] = Object.keys(require.cache)
    .filter((key) => !before.has(key))
    .map((key) => (key.startsWith(`${root}/`) ? key.slice(root.length + 1) : key));
}
process.stdout.write(JSON.stringify(report));
