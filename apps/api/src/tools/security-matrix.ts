import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { permissionTable } from '../permissions';
import { renderSecurityDoc } from '../security-matrix';
import { withOpenApiDocument } from './openapi-document';

/** `npm run security:matrix`: writes docs/security.md from the permission table and the OpenAPI document. */
withOpenApiDocument((doc) => {
  const target = join(process.cwd(), 'docs', 'security.md');
  writeFileSync(target, renderSecurityDoc(doc as never, permissionTable));
  process.stdout.write(`wrote ${target}\n`);
}).catch((err: unknown) => {
  process.stderr.write(`security:matrix failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
