import { writeFileSync } from 'node:fs';
import { withOpenApiDocument } from './openapi-document';

/** `node dump-openapi.js <file>`: writes the OpenAPI document of an in-process application (for `npm run lint:openapi`). */
const target = process.argv[2] ?? 'openapi.json';
withOpenApiDocument((doc) => writeFileSync(target, JSON.stringify(doc, null, 2))).catch((err: unknown) => {
  process.stderr.write(`dump-openapi failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
