import { Composer, CST, Document, Lexer, LineCounter, Parser } from 'yaml';
import { ParseLimits } from './limits';
import { checkDocument, checkTokens, YamlLimitError } from './yaml-guard';
import { splitYamlStream, YamlChunk } from './yaml-stream-split';

/** Where and why a document could not be read; `linePos` is 1-based and counts from the stream's start. */
export interface YamlProblem {
  message: string;
  linePos?: [{ line: number; col: number }];
  /** A limit of this server rather than a YAML syntax error. */
  limit?: 'size' | 'aliases' | 'depth';
}

/** One document of a stream: its value, or the problem that stopped it (`value` undefined for empty documents). */
export type YamlDocument = { value: unknown } | { problem: YamlProblem };

/**
 * Reads a YAML stream one document at a time, each checked (size as written, depth, aliases) before
 * the yaml package composes and converts it, so a hostile document costs time linear in its size.
 * YAML 1.2 core schema, as before; duplicate keys are an error.
 */
export function* readYamlDocuments(text: string, limits: ParseLimits): Generator<YamlDocument> {
  for (const chunk of splitYamlStream(text.replace(/^\uFEFF/, ''))) {
    const bytes = Buffer.byteLength(chunk.text, 'utf8');
    if (bytes > limits.maxDocumentBytes) {
      yield { problem: { message: `the document is ${bytes} bytes as written, larger than the limit of ${limits.maxDocumentBytes} bytes`, limit: 'size' } };
      continue;
    }
    yield* readChunk(chunk, limits);
  }
}

function* readChunk(chunk: YamlChunk, limits: ParseLimits): Generator<YamlDocument> {
  const lines = new LineCounter();
  const where = (offset: number): YamlProblem['linePos'] => {
    const { line, col } = lines.linePos(offset);
    return [{ line: line + chunk.line, col }];
  };
  let tokens: CST.Token[];
  try {
    tokens = parseTokens(chunk.text, lines, limits);
    for (const token of tokens) if (token.type === 'document') checkTokens(token as CST.Document, limits);
  } catch (error) {
    return yield limitProblem(error, where);
  }
  for (const document of new Composer({ uniqueKeys: false }).compose(tokens)) {
    yield readDocument(document, limits, where);
  }
}

/**
 * The parser's tokens, lexeme by lexeme, stopping as soon as the parser's stack (one entry a level of
 * nesting, and a few for the document and the scalar in hand) is past the depth limit: 400,000 `[`
 * would otherwise build 400,000 nested tokens (and run a worker out of memory) before any check.
 */
function parseTokens(text: string, lines: LineCounter, limits: ParseLimits): CST.Token[] {
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0); // as Parser.parse does before the first lexeme
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    tokens.push(...parser.next(lexeme));
    if (parser.stack.length > limits.maxDepth + STACK_SLACK) {
      throw new YamlLimitError(`the document is nested more than ${limits.maxDepth} levels deep`, parser.offset, 'depth');
    }
  }
  tokens.push(...parser.end());
  return tokens;
}

/** Parser stack entries that are not a level of nesting: the document, a pending key, the scalar. */
const STACK_SLACK = 3;

function readDocument(document: Document.Parsed, limits: ParseLimits, where: (offset: number) => YamlProblem['linePos']): YamlDocument {
  const [error] = document.errors;
  if (error) return { problem: { message: error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), linePos: where(error.pos[0]) } };
  try {
    checkDocument(document, limits);
  } catch (problem) {
    return limitProblem(problem, where);
  }
  // Every alias was checked above, so the package's own alias accounting (a scan per anchor) is off.
  return { value: document.toJS({ maxAliasCount: -1 }) };
}

function limitProblem(error: unknown, where: (offset: number) => YamlProblem['linePos']): YamlDocument {
  if (!(error instanceof YamlLimitError)) throw error;
  return { problem: { message: error.message, linePos: where(error.offset), ...(error.limit ? { limit: error.limit } : {}) } };
}
