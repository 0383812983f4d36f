/**
 * Cuts a YAML stream into its documents' texts before any of it is parsed, so that each document can
 * be measured (and refused when too large) before the parser spends time or memory on it.
 *
 * A document starts at a line beginning with `---` followed by a space, a tab or the line's end. YAML
 * forbids such a line inside a scalar, so the cut is always a document boundary. Directive lines
 * (`%YAML`) just before a `---` belong to the document that follows. A chunk may still hold several
 * documents (`...` ends one without starting the next); the parser sees those as usual.
 */
export interface YamlChunk {
  text: string;
  /** Offset of the chunk in the stream, and the 0-based line it starts on. */
  offset: number;
  line: number;
}

const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/gm;
/** Anything but blank lines, comments and directives: the chunk so far holds a document. */
const CONTENT_LINE = /^[ \t]*[^\s#%]/m;

export function* splitYamlStream(text: string): Generator<YamlChunk> {
  let start = 0;
  let line = 0;
  for (const match of text.matchAll(DOCUMENT_START)) {
    const cut = directivesStart(text, start, match.index);
    if (!CONTENT_LINE.test(text.slice(start, cut))) continue;
    yield { text: text.slice(start, cut), offset: start, line };
    line += countLines(text, start, cut);
    start = cut;
  }
  if (start < text.length || start === 0) yield { text: text.slice(start), offset: start, line };
}

/** Moves a cut at `end` back over the `%` directive lines (and comments among them) just before it. */
function directivesStart(text: string, start: number, end: number): number {
  let cut = end;
  let lineEnd = end;
  while (lineEnd > start) {
    const lineStart = text.lastIndexOf('\n', lineEnd - 2) + 1;
    const content = text.slice(Math.max(lineStart, start), lineEnd).trim();
    if (content.startsWith('%')) cut = Math.max(lineStart, start);
    else if (content !== '' && !content.startsWith('#')) break;
    lineEnd = Math.max(lineStart, start);
  }
  return cut;
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
