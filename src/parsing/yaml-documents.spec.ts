import { ParseLimits } from './limits';
import { readYamlDocuments, YamlDocument } from './yaml-documents';

const LIMITS: ParseLimits = { maxDocumentBytes: 64 * 1024, maxAliases: 100, maxDepth: 100 };
const read = (text: string, limits: Partial<ParseLimits> = {}) => [...readYamlDocuments(text, { ...LIMITS, ...limits })];
const problemOf = (doc: YamlDocument) => ('problem' in doc ? doc.problem : undefined);

/** Anchors &a0..&aN, each aliased once: the shape that made the yaml package quadratic. */
const manyAliases = (n: number) =>
  `anchors:\n${Array.from({ length: n }, (_, i) => `  a${i}: &a${i} v\n`).join('')}aliases:\n${Array.from({ length: n }, (_, i) => `  - *a${i}\n`).join('')}`;

/** Billion laughs: each level aliases the one before nine times (81 aliases, 9^9 strings expanded). */
const billionLaughs = () => {
  const lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
};

describe('readYamlDocuments: values', () => {
  it.each<[string, string, unknown[]]>([
    ['one document', 'a: 1\nb: [x, "y"]\n', [{ a: 1, b: ['x', 'y'] }]],
    ['a stream, empty documents as null', '---\na: 1\n---\n---\nb: 2\n', [{ a: 1 }, null, { b: 2 }]],
    ['a few aliases, expanded', 'base: &b {x: 1}\ncopy: *b\nlist: [*b, *b]\n', [{ base: { x: 1 }, copy: { x: 1 }, list: [{ x: 1 }, { x: 1 }] }]],
    ['an anchor redefined: the alias takes the latest', 'a: &x 1\nb: &x 2\nc: *x\n', [{ a: 1, b: 2, c: 2 }]],
    ['a __proto__ key stays an own key', '__proto__: {polluted: true}\n', [JSON.parse('{"__proto__":{"polluted":true}}')]],
    ['YAML 1.2 scalars', 'a: yes\nb: 0755\nc: null\n', [{ a: 'yes', b: 755, c: null }]],
  ])('%s', (_title, text, expected) => {
    expect(read(text).map((d) => ('value' in d ? d.value : d.problem))).toEqual(expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('readYamlDocuments: refused before the work is done', () => {
  it.each<[string, string, Partial<ParseLimits>, RegExp, number | undefined]>([
    ['an undefined alias', 'a: 1\nb: *nope\n', {}, /^the alias \*nope refers to no anchor &nope before it$/, 2],
    ['an alias used before its anchor', 'a: *x\nb: &x 1\n', {}, /refers to no anchor &x before it/, 1],
    ['a self-referencing alias', 'a: &x [1, *x]\n', {}, /^the alias \*x refers to a node that contains it$/, 1],
    ['a self-referencing mapping', 'a: &x\n  b: *x\n', {}, /refers to a node that contains it/, 2],
    ['more aliases than the limit', manyAliases(101), {}, /^the document has more than 100 aliases \(the limit per document\)$/, undefined],
    ['billion laughs (few aliases, huge expansion)', billionLaughs(), {}, /^the document's aliases expand it to more than 65536 bytes/, undefined],
    ['nesting past the limit, in flow style', `a: ${'['.repeat(101)}${']'.repeat(101)}\n`, {}, /^the document is nested more than 100 levels deep$/, 1],
    ['nesting past the limit, in block style', Array.from({ length: 12 }, (_, i) => `${'  '.repeat(i)}k${i}:\n`).join(''), { maxDepth: 10 },
      /nested more than 10 levels deep/, 11],
    ['a duplicate key', 'a: 1\nb: 2\na: 3\n', {}, /^Map keys must be unique$/, 3],
    ['a document larger than the limit as written', `a: "${'x'.repeat(2000)}"\n`, { maxDocumentBytes: 1000 },
      /^the document is 2006 bytes as written, larger than the limit of 1000 bytes$/, undefined],
    ['malformed YAML, with the line in the stream', 'a: 1\n---\nb: [1\nc: 2\n', {}, /Flow sequence in block collection|Missing , or :|flow/i, 4],
  ])('%s', (_title, text, limits, message, line) => {
    const problem = read(text, limits).map(problemOf).find(Boolean);
    expect(problem?.message).toMatch(message);
    if (line !== undefined) expect(problem?.linePos?.[0].line).toBe(line);
  });

  it('keeps reading the documents after one that is too large', () => {
    const docs = read(`a: "${'x'.repeat(2000)}"\n---\nb: 2\n`, { maxDocumentBytes: 1000 });
    expect(docs.map((d) => ('value' in d ? d.value : d.problem.limit))).toEqual(['size', { b: 2 }]);
  });
});
