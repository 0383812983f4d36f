import { ApiError } from '../common/status';
import { KINDS } from '../kinds/kinds';
import { kindNamesOf } from './import-errors';
import { ImportStreamOptions, parseImportStream } from './import-stream';
import { DETAILS_YAML } from './test-fixtures';

const OPTIONS: ImportStreamOptions = { maxDocumentBytes: 4096, maxDocuments: 100, maxAliases: 100, kinds: KINDS.map(kindNamesOf) };
const WE = 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\n';
const SE = 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n';
const we = (name: string, extra = '') => `${WE}metadata:\n  name: ${name}\n${extra}spec:\n  address: 1.1.1.1\n`;

const summary = (text: string, options: Partial<ImportStreamOptions> = {}) =>
  parseImportStream(text, { ...OPTIONS, ...options }).map((d) =>
    d.object ? `${d.index} ${d.object.kind} ${d.object.metadata.namespace}/${d.object.metadata.name}` : `${d.index} error ${d.error?.code}`,
  );

describe('parseImportStream: accepted input', () => {
  it.each([
    ['an empty body', '', []],
    ['only separators and comments', '---\n# nothing here\n---\n...\n', []],
    ['the details-svc stream', DETAILS_YAML, ['0 WorkloadEntry bookinfo/details-svc', '1 ServiceEntry bookinfo/details-svc']],
    ['a leading --- and trailing separators', `---\n${we('a')}---\n---\n${we('b')}---\n`, ['0 WorkloadEntry default/a', '1 WorkloadEntry default/b']],
    ['empty and null documents between objects', `${we('a')}---\n# c\n---\nnull\n---\n${we('b')}`, ['0 WorkloadEntry default/a', '1 WorkloadEntry default/b']],
    ['same name in other kinds and namespaces', `${we('a')}---\n${SE}metadata: {name: a}\n---\n${we('a', '  namespace: x\n')}`,
      ['0 WorkloadEntry default/a', '1 ServiceEntry default/a', '2 WorkloadEntry x/a']],
    ['a JSON object', '{"apiVersion":"networking.istio.io/v1","kind":"WorkloadEntry","metadata":{"name":"j"},"spec":{}}', ['0 WorkloadEntry default/j']],
    ['a JSON List', '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"networking.istio.io/v1","kind":"WorkloadEntry","metadata":{"name":"a"},"spec":{}},' +
      '{"apiVersion":"networking.istio.io/v1","kind":"ServiceEntry","metadata":{"name":"b"},"spec":{}}]}', ['0 WorkloadEntry default/a', '1 ServiceEntry default/b']],
    ['a YAML List between documents, items taking the next indexes', `${we('a')}---\napiVersion: v1\nkind: List\nitems:\n- ${we('b').replace(/\n(?=.)/g, '\n  ')}---\n${we('c')}`,
      ['0 WorkloadEntry default/a', '1 WorkloadEntry default/b', '2 WorkloadEntry default/c']],
    ['an empty List', 'apiVersion: v1\nkind: List\nitems: []\n', []],
    ['a typed list whose items leave out apiVersion and kind', 'apiVersion: networking.istio.io/v1\nkind: ServiceEntryList\nitems:\n- metadata: {name: s}\n  spec: {hosts: [a.b]}\n',
      ['0 ServiceEntry default/s']],
    ['a nested List, flattened', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - {apiVersion: networking.istio.io/v1, kind: WorkloadEntry, metadata: {name: n}, spec: {}}\n',
      ['0 WorkloadEntry default/n']],
  ])('%s', (_name, text, expected) => {
    expect(summary(text)).toEqual(expected);
  });

  it('defaults the namespace from the option and keeps the document otherwise as written', () => {
    const [doc] = parseImportStream(we('a', '  resourceVersion: "7"\n'), { ...OPTIONS, defaultNamespace: 'vms' });
    expect(doc.object).toEqual({
      apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry',
      metadata: { name: 'a', resourceVersion: '7', namespace: 'vms' }, spec: { address: '1.1.1.1' },
    });
  });

  it('reads label values as strings the YAML 1.2 way (yes, on stay strings)', () => {
    const [doc] = parseImportStream(we('a', '  labels: {a: yes, b: on, c: "1"}\n'), OPTIONS);
    expect(doc.object?.metadata.labels).toEqual({ a: 'yes', b: 'on', c: '1' });
  });
});

describe('parseImportStream: per-document errors', () => {
  // 3,000 backslashes as written, 6,000 as JSON: within the limit as written, over it as JSON.
  const big = `${WE}metadata: {name: big}\nspec:\n  address: 1.1.1.1\n  labels: {a: '${'\\'.repeat(3000)}'}\n`;
  it.each([
    ['malformed YAML, with its line in the stream', `${we('a')}---\n${WE}metadata: {name: b\nspec: {}\n`, 1, 400, 'BadRequest', undefined,
      /^document 1: malformed YAML at line 11, column 1: Flow map in block collection/],
    ['a duplicate key', `${WE}metadata:\n  name: a\n  name: b\nspec: {}\n`, 0, 400, 'BadRequest', undefined,
      /^document 0: malformed YAML at line 5, column 3: Map keys must be unique$/],
    ['a document over the size limit', big, 0, 413, 'RequestEntityTooLarge', undefined,
      /^document 0: the object is \d+ bytes as JSON, larger than the limit of 4096 bytes$/],
    ['a scalar document', 'just text\n', 0, 400, 'BadRequest', undefined, /^document 0: expected a Kubernetes object .*got a string "just text"$/],
    ['a sequence document', '- a\n- b\n', 0, 400, 'BadRequest', undefined, /^document 0: expected a Kubernetes object .*got a sequence$/],
    ['a missing apiVersion', 'kind: WorkloadEntry\nmetadata: {name: a}\n', 0, 400, 'BadRequest', 'apiVersion', /^document 0: apiVersion not set$/],
    ['a missing kind', 'apiVersion: networking.istio.io/v1\nmetadata: {name: a}\n', 0, 400, 'BadRequest', 'kind', /^document 0: kind not set$/],
    ['an unknown kind', 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a}\n', 0, 400, 'BadRequest', 'kind',
      /^document 0: no matches for kind "VirtualService" in version "networking.istio.io\/v1"$/],
    ['a version not served', 'apiVersion: networking.istio.io/v1alpha3\nkind: WorkloadEntry\nmetadata: {name: a}\n', 0, 400, 'BadRequest', 'apiVersion',
      /^document 0: no matches for kind "WorkloadEntry" in version "networking.istio.io\/v1alpha3"$/],
    ['a missing metadata.name', `${WE}metadata: {namespace: x}\nspec: {}\n`, 0, 422, 'Invalid', 'metadata.name',
      /^document 0: WorkloadEntry.networking.istio.io "" is invalid: metadata.name: Required value/],
    ['a generateName without name', `${WE}metadata: {generateName: vm-}\nspec: {}\n`, 0, 422, 'Invalid', 'metadata.name', /Required value/],
    ['a name that is not a string', `${WE}metadata: {name: 12}\nspec: {}\n`, 0, 422, 'Invalid', 'metadata.name', /Invalid value: 12: must be a string/],
    ['metadata that is not a mapping', `${WE}metadata: [a]\nspec: {}\n`, 0, 422, 'Invalid', 'metadata', /metadata: Invalid value: \["a"\]: must be an object/],
    ['a namespace that is not a string', `${WE}metadata: {name: a, namespace: [x]}\nspec: {}\n`, 0, 422, 'Invalid', 'metadata.namespace', /must be a string/],
    ['a List without items', 'apiVersion: v1\nkind: List\n', 0, 400, 'BadRequest', 'items', /^document 0: List must have an items array$/],
    ['a List whose items is not an array', 'apiVersion: v1\nkind: WorkloadEntryList\nitems: {a: 1}\n', 0, 400, 'BadRequest', 'items', /WorkloadEntryList must have an items array/],
    ['a duplicate, naming the earlier document', `${we('a', '  namespace: default\n')}---\n${we('b')}---\n${we('a')}`, 2, 422, 'Invalid', 'metadata.name',
      /^document 2: WorkloadEntry.networking.istio.io "a" is invalid: metadata.name: Duplicate value: "a": document 0 already has WorkloadEntry default\/a/],
  ])('%s', (_name, text, index, code, reason, field, message) => {
    const docs = parseImportStream(text, OPTIONS);
    const doc = docs.find((d) => d.error);
    expect(doc?.index).toBe(index);
    expect(doc?.object).toBeUndefined();
    expect(doc?.error).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason });
    expect(doc?.error?.message).toMatch(message);
    if (field) expect(doc?.error?.details?.causes?.map((c) => c.field)).toEqual([field]);
    else expect(doc?.error?.details?.causes).toBeUndefined();
  });

  it('keeps indexes of the documents around an error meaningful', () => {
    const text = `${we('a')}---\nkind: Nope\napiVersion: v9\n---\n{bad: [\n---\n${we('a')}---\n${we('b')}`;
    expect(summary(text)).toEqual(['0 WorkloadEntry default/a', '1 error 400', '2 error 400', '3 error 422', '4 WorkloadEntry default/b']);
  });

  it('checks the size limit per item for a List', () => {
    const items = ['a', 'b'].map((n) => `{"apiVersion":"networking.istio.io/v1","kind":"WorkloadEntry","metadata":{"name":"${n}"},"spec":{}}`);
    const text = `{"apiVersion":"v1","kind":"List","items":[${items.join(',')}]}`;
    expect(summary(text, { maxDocumentBytes: 120 })).toEqual(['0 WorkloadEntry default/a', '1 WorkloadEntry default/b']);
    expect(summary(text, { maxDocumentBytes: 50 })).toEqual(['0 error 413', '1 error 413']);
  });

  it('reports a document over the size limit as written without parsing it, and goes on', () => {
    const text = `${WE}metadata: {name: big}\n# ${'x'.repeat(5000)}\nspec: {}\n---\n${we('b')}`;
    expect(summary(text)).toEqual(['0 error 413', '1 WorkloadEntry default/b']);
    expect(parseImportStream(text, OPTIONS)[0].error?.message).toMatch(/^document 0: the document is \d+ bytes as written, larger than the limit of 4096 bytes$/);
  });
});

describe('parseImportStream: limits that refuse the whole import', () => {
  const refusal = (text: string, options: Partial<ImportStreamOptions> = {}) => {
    try {
      parseImportStream(text, { ...OPTIONS, ...options });
    } catch (error) {
      if (error instanceof ApiError) return error.status;
      throw error;
    }
    throw new Error('the import was not refused');
  };
  const billionLaughs = () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) lines.push(`${'b'.repeat(i)}: &${'a'.repeat(i + 1)} [${Array(9).fill(`*${'a'.repeat(i)}`).join(',')}]`);
    return `${we('first')}---\n${lines.join('\n')}\n`;
  };

  it.each<[string, () => string, Partial<ImportStreamOptions>, number, RegExp]>([
    ['billion laughs', billionLaughs, {}, 400, /^document 1: the document's aliases expand it to more than 4096 bytes \(the document size limit\) \(at line \d+, column \d+\)$/],
    ['more aliases than allowed', () => `${WE}metadata: {name: a, labels: {x: &v v, y: *v, z: *v}}\nspec: {}\n`, { maxAliases: 1 }, 400,
      /^document 0: the document has more than 1 aliases \(the limit per document\) \(at line 3, column 42\)$/],
    ['YAML nested too deep', () => `${WE}metadata: {name: a}\nspec: {x: ${'['.repeat(101)}${']'.repeat(101)}}\n`, {}, 400,
      /^document 0: the document is nested more than 100 levels deep/],
    ['JSON nested too deep, found by the YAML reader with its line', () => `{"kind":"List","items":[${'['.repeat(200)}${']'.repeat(200)}]}`, {}, 400,
      /^document 0: the document is nested more than 100 levels deep \(at line 1, column \d+\)$/],
    ['more documents than allowed', () => [we('a'), we('b'), we('c')].join('---\n'), { maxDocuments: 2 }, 413,
      /^the import holds more than 2 documents \(the limit per import; List items count one by one\): split it into several imports$/],
    ['more List items than allowed', () => `{"apiVersion":"v1","kind":"List","items":[{},{},{}]}`, { maxDocuments: 2 }, 413, /more than 2 documents/],
  ])('%s', (_title, text, options, code, message) => {
    const status = refusal(text(), options);
    expect(status).toMatchObject({ kind: 'Status', code, status: 'Failure' });
    expect(status.message).toMatch(message);
  });

  it('reports undefined and self-referencing aliases as malformed documents', () => {
    const docs = parseImportStream(`${WE}metadata: {name: a}\nspec: {address: *nope}\n---\n${WE}metadata: {name: b}\nspec: &s {x: *s}\n`, OPTIONS);
    expect(docs.map((d) => d.error?.message)).toEqual([
      'document 0: malformed YAML at line 4, column 17: the alias *nope refers to no anchor &nope before it',
      'document 1: malformed YAML at line 9, column 14: the alias *s refers to a node that contains it',
    ]);
  });
});
