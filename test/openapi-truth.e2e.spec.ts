import { RunningApp, startInProcessApp } from './support/in-process-app';
import { OpenApiDocument, operationsOf } from './support/openapi-walk';

/** The served OpenAPI document tells the truth about answers, inputs and credentials. */
describe('The OpenAPI document', () => {
  let app: RunningApp;
  let doc: OpenApiDocument & { components: { securitySchemes: Record<string, any> } };
  beforeAll(async () => {
    app = await startInProcessApp();
    doc = (await app.http.get('/docs-json')).body;
  });
  afterAll(() => app.close());

  it('documents 401, 403 and 429 on every authenticated operation, and 415 wherever a body is read', () => {
    const missing = operationsOf(doc).flatMap((op) =>
      [...(op.security ? ['401', '403'] : []), ...(op.path.startsWith('/api') ? ['400', '429'] : []), ...(op.body ? ['413', '415'] : [])]
        .filter((code) => !(code in op.responses))
        .map((code) => `${op.method} ${op.path} ${code}`),
    );
    expect(missing).toEqual([]);
  });

  it('documents the real credential format', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.bearer.description).toContain('HS256');
    expect(doc.components.securitySchemes.bearer.description).toContain('slk_');
  });

  it('has one ReasonBody, and integer inputs with their bounds as validated', () => {
    const schemas = doc.components.schemas as Record<string, any>;
    expect(schemas.ReasonBody.properties.reason).toMatchObject({ maxLength: 2000 });
    expect(schemas.RegisterCustomerBody.properties.paymentTermsDays).toMatchObject({ type: 'integer', minimum: 0, maximum: 365 });
    const unbounded = Object.entries(schemas)
      .filter(([name]) => name.endsWith('Body'))
      .flatMap(([name, s]) =>
        Object.entries((s.properties ?? {}) as Record<string, any>)
          .filter(([, p]) => p.type === 'number' || (p.type === 'integer' && (p.minimum === undefined || p.maximum === undefined)))
          .map(([k]) => `${name}.${k}`),
      );
    expect(unbounded).toEqual([]);
  });
});
