import { splitYamlStream } from './yaml-stream-split';

const chunks = (text: string) => [...splitYamlStream(text)].map((c) => [c.text, c.line]);

describe('splitYamlStream', () => {
  it.each<[string, string, (string | number)[][]]>([
    ['an empty stream', '', [['', 0]]],
    ['one document', 'a: 1\n', [['a: 1\n', 0]]],
    ['a leading marker stays with its document', '---\na: 1\n', [['---\na: 1\n', 0]]],
    ['two documents, with the line each starts on', 'a: 1\n---\nb: 2\n', [['a: 1\n', 0], ['---\nb: 2\n', 1]]],
    ['a marker with content on its line', 'a: 1\n--- {b: 2}\n', [['a: 1\n', 0], ['--- {b: 2}\n', 1]]],
    ['comments before a marker do not make a document', '# head\n---\na: 1\n', [['# head\n---\na: 1\n', 0]]],
    ['"----" and indented markers are content', 'a: |\n  ---\n----: 1\n', [['a: |\n  ---\n----: 1\n', 0]]],
    ['a trailing marker', 'a: 1\n---\n', [['a: 1\n', 0], ['---\n', 1]]],
    ['directives go with the document after them', 'a: 1\n...\n%YAML 1.2\n---\nb: 2\n', [['a: 1\n...\n', 0], ['%YAML 1.2\n---\nb: 2\n', 2]]],
    ['CRLF line ends', 'a: 1\r\n---\r\nb: 2\r\n', [['a: 1\r\n', 0], ['---\r\nb: 2\r\n', 1]]],
  ])('%s', (_title, text, expected) => {
    expect(chunks(text)).toEqual(expected);
  });
});
