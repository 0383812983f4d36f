import { OpenAPIObject, OperationObject, ParameterObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { parseAllDocuments } from 'yaml';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The OpenAPI document behind Swagger UI, as the built service serves it (this project compiles with
 * the swagger plugin): what makes each task executable from the page as it is prefilled.
 */
type Operation = OperationObject & { method: string; path: string };

describe('the OpenAPI document behind /docs', () => {
  let t: TestApp;
  let doc: OpenAPIObject;
  let operations: Operation[];
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await (await fetch(`${t.url}/docs-json`)).json()) as OpenAPIObject;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ ...(op as OperationObject), method, path })),
    );
  });
  afterAll(() => t.close());

  const params = (op: Operation) => (op.parameters ?? []) as ParameterObject[];
  const name = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

  it('declares every path parameter required, and only on paths that have it', () => {
    const wrong = operations.flatMap((op) =>
      params(op)
        .filter((p) => p.in === 'path' && (p.required !== true || !op.path.includes(`{${p.name}}`)))
        .map((p) => `${name(op)}: ${p.name}`),
    );
    expect(wrong).toEqual([]);
  });

  it('gives every required parameter an example, so Try it out is prefilled', () => {
    const bare = operations.flatMap((op) =>
      params(op)
        .filter((p) => p.required && p.example === undefined && (p.schema as { example?: unknown })?.example === undefined)
        .filter((p) => !['group', 'version'].includes(p.name))
        .map((p) => `${name(op)}: ${p.name}`),
    );
    expect(bare).toEqual([]);
  });

  it('asks for no Content-Type or Accept header field: the media type selectors send them', () => {
    const headers = operations.flatMap((op) => params(op).filter((p) => p.in === 'header').map((p) => `${name(op)}: ${p.name}`));
    expect(headers).toEqual([]);
  });

  it('shows a Failure Status of the right code and reason for every error response', () => {
    const errors = operations.flatMap((op) =>
      Object.entries(op.responses)
        .filter(([code]) => Number(code) >= 400)
        .flatMap(([code, response]) => {
          const media = Object.values((response as ResponseObject).content ?? {}) as { example?: unknown; examples?: Record<string, { value: unknown }> }[];
          const values = media.flatMap((m) => (m.example !== undefined ? [m.example] : Object.values(m.examples ?? {}).map((e) => e.value)));
          if (values.length === 0) return [[name(op), code, 'no example']];
          return (values as Record<string, unknown>[]).map((value) => {
            const ok = value.kind === 'ImportResult' ? code === '422' : value.kind === 'Status' && value.status === 'Failure' && value.code === Number(code) && typeof value.reason === 'string';
            return ok ? undefined : [name(op), code, JSON.stringify(value).slice(0, 80)];
          }).filter(Boolean);
        }),
    );
    expect(errors).toEqual([]);
  });

  it('offers each patch type as a media type of its own, merge patch first, each with its own example', () => {
    const patches = operations.filter((op) => op.method === 'patch' && op.path.startsWith('/apis/'));
    expect(patches).toHaveLength(6);
    for (const op of patches) {
      const content = (op.requestBody as { content: Record<string, { examples: Record<string, { value: unknown }> }> }).content;
      expect([name(op), Object.keys(content)]).toEqual([name(op), ['application/merge-patch+json', 'application/json-patch+json']]);
      const [merge] = Object.values(content['application/merge-patch+json'].examples);
      const [json] = Object.values(content['application/json-patch+json'].examples);
      expect(Array.isArray(merge.value)).toBe(false);
      expect(Array.isArray(json.value)).toBe(true);
    }
  });

  it('shows YAML media types YAML text, multi-document streams included', () => {
    const yamlExamples = operations.flatMap((op) => {
      const bodies = [(op.requestBody as { content?: Record<string, { example?: unknown }> })?.content, ...Object.values(op.responses).map((r) => (r as ResponseObject).content)];
      return bodies.flatMap((content) => Object.entries(content ?? {}).filter(([type, media]) => type.includes('yaml') && media.example !== undefined).map(([, media]) => media.example));
    });
    expect(yamlExamples.length).toBeGreaterThanOrEqual(3);
    for (const example of yamlExamples) {
      expect(typeof example).toBe('string');
      const documents = parseAllDocuments(example as string);
      expect(Array.isArray(documents) && documents.every((d) => d.errors.length === 0)).toBe(true);
    }
  });

  it('asks for a bearer token everywhere but on the probes (the Authorize button)', () => {
    const document = doc as unknown as { components: { securitySchemes: Record<string, unknown> }; security: unknown[]; paths: Record<string, Record<string, { security?: unknown[] }>> };
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ bearer: [] }]);
    for (const path of ['/healthz', '/readyz', '/version']) expect(document.paths[path].get.security).toEqual([]);
    expect(document.paths['/apis/networking.istio.io/v1/namespaces/{namespace}/workloadentries'].post.security).toBeUndefined();
  });

  it('describes every tag, in the order of what a person comes to do', () => {
    const tags = (doc.tags ?? []).map((tag) => tag.name);
    expect(tags).toEqual(['WorkloadEntry', 'ServiceEntry', 'WorkloadGroup', 'onboarding', 'resolve', 'manifests', 'analyze', 'kubectl', 'tokens', 'operations']);
    expect((doc.tags ?? []).every((tag) => (tag.description ?? '').length > 20)).toBe(true);
    const untagged = operations.filter((op) => !op.tags?.length || !tags.includes(op.tags[0])).map(name);
    expect(untagged).toEqual([]);
    const firstOfTag = (tag: string) => operations.find((op) => op.tags?.[0] === tag);
    expect(name(firstOfTag('WorkloadEntry')!)).toBe('POST /apis/networking.istio.io/v1/namespaces/{namespace}/workloadentries');
  });
});
