/**
 * Runs a TypeScript module as a plain child process (`node test/support/ts-child.js <file.ts> ...args`),
 * compiled on load by @swc/core like jest does: tests can start real separate processes that use
 * the adapters' source, without a build. Only relative imports and node_modules are resolved.
 */
const { transformSync } = require('@swc/core');
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

const [, , entry, ...args] = process.argv;
process.argv = [process.argv[0], resolve(entry), ...args];
require(resolve(entry));
