import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allProjections } from '../index';
import { documentFields } from './document-fields';
import { renderReadModelsDoc } from './render-read-models-doc';

/** `npm run read-models:doc`: writes docs/read-models.md from the registered projections, their documentation and document types. */
const root = process.cwd();
const text = renderReadModelsDoc(allProjections, documentFields(root, allProjections));
writeFileSync(join(root, 'docs/read-models.md'), text);
process.stdout.write(`wrote docs/read-models.md (${allProjections.length} read models)\n`);
