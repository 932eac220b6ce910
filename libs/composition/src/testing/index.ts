/** What specs outside the package use to check docs/read-models.md against the code (dev tooling: ts-json-schema-generator). */
export { documentationOf, documentFields } from '../read-models-doc/document-fields';
export type { DocumentField } from '../read-models-doc/document-fields';
export { observedSources } from '../read-models-doc/observed-sources';
