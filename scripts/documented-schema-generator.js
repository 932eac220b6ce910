/**
 * The one ts-json-schema-generator setup of the documentation generators: the event catalog
 * (scripts/generate-event-catalog.js) and the read-models page (libs/composition/src/read-models-doc).
 *
 * It keeps a field's doc comment (its `description`) wherever the field is reached through a type built from
 * other types: an intersection (`{ orderId: string } & OverrideRequestFacts`), `Omit`/`Pick`/`Readonly` of one,
 * an interface that `extends` another. ts-json-schema-generator 2.4 does not on its own: with
 * `additionalProperties: true` (our schemas are open), looking a field up in an intersection asks every member,
 * and a member that does not declare the field answers `any` (its open "additional properties"). The field's
 * type becomes `any & <the commented type>`; a plain `string` collapses back to `string`, but a commented one
 * (an annotated type) does not, and the field came out as an empty object with no comment. Here a member that
 * does not declare the field adds nothing to it, as in TypeScript.
 * documented-schema-generator.spec.js (test/tooling) proves that a comment survives each of these shapes.
 */
const ts = require('typescript');
const tjs = require('ts-json-schema-generator');

/** The configuration both generators use (schemas of open objects, extended JSDoc, no top-level refs). */
const DOCUMENTED_SCHEMA_CONFIG = { skipTypeCheck: true, expose: 'none', topRef: false, jsDoc: 'extended', additionalProperties: true };

/** `any & T` → `T` (also nested, as `(any & T) & any`) where the `any` is an open object's answer for a field it does not declare. */
const withoutUndeclaredMembers = (type) => {
  if (type instanceof tjs.AnnotatedType) {
    const inner = withoutUndeclaredMembers(type.getType());
    return inner === type.getType() ? type : new tjs.AnnotatedType(inner, type.getAnnotations(), type.isNullable());
  }
  if (type instanceof tjs.UnionType) {
    const members = type.getTypes().map(withoutUndeclaredMembers);
    return members.every((m, i) => m === type.getTypes()[i]) ? type : new tjs.UnionType(members);
  }
  if (type instanceof tjs.IntersectionType) {
    const members = type.getTypes().map(withoutUndeclaredMembers);
    const declared = members.filter((m) => !(m instanceof tjs.AnyType));
    if (declared.length === 0) return type;
    return declared.length < members.length || members.some((m, i) => m !== type.getTypes()[i]) ? tjs.translate(declared) : type;
  }
  return type;
};

/** `T[K]` (what `Omit`, `Pick`, `Readonly` and `Partial` read each field through), without undeclared members' `any`. */
class DeclaredFieldAccessParser {
  constructor(indexedAccess) {
    this.indexedAccess = indexedAccess;
  }
  supportsNode(node) {
    return node.kind === ts.SyntaxKind.IndexedAccessType;
  }
  createType(node, context) {
    return withoutUndeclaredMembers(this.indexedAccess.createType(node, context));
  }
}

/** A schema generator for `path` (a TypeScript file) with the shared configuration; `config` adds `type`, `tsconfig`. */
const documentedSchemaGenerator = (config) => {
  const complete = { ...tjs.DEFAULT_CONFIG, ...DOCUMENTED_SCHEMA_CONFIG, ...config };
  const program = tjs.createProgram(complete);
  const parser = tjs.createParser(program, complete, (chain) => {
    chain.addNodeParser(new DeclaredFieldAccessParser(new tjs.IndexedAccessTypeNodeParser(program.getTypeChecker(), chain)));
  });
  return new tjs.SchemaGenerator(program, parser, tjs.createFormatter(complete), complete);
};

module.exports = { documentedSchemaGenerator, DOCUMENTED_SCHEMA_CONFIG };
