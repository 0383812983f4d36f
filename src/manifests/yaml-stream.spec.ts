import { parse } from 'yaml';
import { KubeObject } from '../common/kube-object';
import { renderYamlDocument, renderYamlStream, renderYamlStreamChunks } from './yaml-stream';
import { allFixtures, DETAILS_YAML, detailsService, detailsWorkload, trickyWorkload } from './test-fixtures';

const collect = async (chunks: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
};

const reverseKeysDeep = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reverseKeysDeep);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeysDeep(v)]));
};

const withLabel = (value: string): KubeObject => ({ ...detailsWorkload(), metadata: { name: 'w', namespace: 'ns', labels: { v: value } } });

describe('renderYamlStream', () => {
  it('renders the Istio docs details-svc pair byte for byte', () => {
    expect(renderYamlStream([detailsWorkload(), detailsService()])).toBe(DETAILS_YAML);
  });

  it.each([
    ['no documents', [], ''],
    ['one document, no separator', [detailsWorkload()], DETAILS_YAML.split('---\n')[0]],
  ])('%s', (_name, objs, expected) => {
    expect(renderYamlStream(objs)).toBe(expected);
  });

  it('is stable: the same objects with keys in reverse order render the same bytes', () => {
    const reversed = allFixtures().map((o) => reverseKeysDeep(o) as KubeObject);
    expect(Object.keys(reversed[0])[0]).toBe('status');
    expect(renderYamlStream(reversed)).toBe(renderYamlStream(allFixtures()));
  });

  it('does not fold long strings (lineWidth 0)', () => {
    const doc = renderYamlDocument(trickyWorkload());
    const line = doc.split('\n').find((l) => l.includes('example.com/notes'));
    expect(line).toMatch(/^ {4}example\.com\/notes: a very long .* end$/);
  });
});

describe('scalar quoting', () => {
  // Quoted only when YAML 1.2 (the yaml package) or YAML 1.1 (kubectl's parser) would read something else.
  it.each([
    ['details-legacy', 'details-legacy'],
    ['2.2.2.2', '2.2.2.2'],
    ['spiffe://cluster.local/ns/a', 'spiffe://cluster.local/ns/a'],
    ['yes', '"yes"'],
    ['on', '"on"'],
    ['true', '"true"'],
    ['null', '"null"'],
    ['~', '"~"'],
    ['123', '"123"'],
    ['1.0', '"1.0"'],
    ['0755', '"0755"'],
    ['0o17', '"0o17"'],
    ['1_000', '"1_000"'],
    ['2024-01-01', '"2024-01-01"'],
    ['', '""'],
    ['a: b', '"a: b"'],
    ['#x', '"#x"'],
  ])('%j renders as %s and reads back the same under YAML 1.1 and 1.2', (value, rendered) => {
    const doc = renderYamlDocument(withLabel(value));
    expect(doc).toContain(`\n    v: ${rendered}\n`);
    expect(parse(doc).metadata.labels.v).toBe(value);
    expect(parse(doc, { version: '1.1' }).metadata.labels.v).toBe(value);
  });
});

describe('renderYamlStreamChunks', () => {
  it('yields one document per chunk that concatenate to renderYamlStream', async () => {
    const chunks = await collect(renderYamlStreamChunks(allFixtures()));
    expect(chunks).toHaveLength(4);
    expect(chunks[0].startsWith('apiVersion:')).toBe(true);
    expect(chunks.slice(1).every((c) => c.startsWith('---\napiVersion:'))).toBe(true);
    expect(chunks.join('')).toBe(renderYamlStream(allFixtures()));
  });

  it('yields nothing for an empty source', async () => {
    expect(await collect(renderYamlStreamChunks([]))).toEqual([]);
  });

  it('pulls one object per chunk from an async source, never the whole source ahead', async () => {
    let pulled = 0;
    async function* source() {
      for (const obj of allFixtures()) {
        pulled++;
        yield obj;
      }
    }
    const chunks = renderYamlStreamChunks(source());
    await chunks.next();
    expect(pulled).toBe(1);
    await chunks.next();
    expect(pulled).toBe(2);
  });
});
