import { CST, Document, isAlias, isMap, isPair, isScalar, isSeq, Node, Pair } from 'yaml';
import { ParseLimits } from './limits';

/**
 * The checks that make a YAML document safe to turn into a value, each linear in its size. The yaml
 * package bounds aliases only by how often one anchor is reused (`maxAliasCount`): it lets through any
 * number of distinct aliases (resolving each costs a scan of the document, so 20,000 of them take
 * seconds), undefined aliases (a ReferenceError at toJS), aliases to a node that contains them (a
 * cyclic value), and duplicate-key detection that compares every key with every other.
 */
export class YamlLimitError extends Error {
  constructor(message: string, readonly offset: number, readonly limit?: 'aliases' | 'depth') {
    super(message);
  }
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

/** On the parser's tokens, before composing: nesting depth (composing is recursive) and alias count. */
export function checkTokens(document: CST.Document, limits: ParseLimits): void {
  let aliases = 0;
  const stack: [CST.Token | undefined, number][] = [[document.value, 0]];
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (!token) continue;
    if (token.type === 'alias' && ++aliases > limits.maxAliases) {
      throw new YamlLimitError(`the document has more than ${limits.maxAliases} aliases (the limit per document)`, token.offset, 'aliases');
    }
    if (!COLLECTIONS.has(token.type)) continue;
    if (depth + 1 > limits.maxDepth) {
      throw new YamlLimitError(`the document is nested more than ${limits.maxDepth} levels deep`, token.offset, 'depth');
    }
    for (const item of (token as CST.BlockMap | CST.BlockSequence | CST.FlowCollection).items) {
      const { key, value } = item as { key?: CST.Token | null; value?: CST.Token };
      stack.push([value, depth + 1]);
      if (key) stack.push([key, depth + 1]);
    }
  }
}

interface Walk {
  readonly limit: number;
  readonly anchors: Map<string, Node>;
  /** Anchored collections still being walked: an alias to one of them would make the value cyclic. */
  readonly open: Set<Node>;
  readonly sizes: Map<Node, number>;
  aliases: number;
}

/**
 * On the composed document, in document order: every alias names an anchor defined before it and
 * outside it, the value with aliases expanded stays within `maxDocumentBytes` (estimated as JSON,
 * without expanding anything), and no mapping repeats a key.
 */
export function checkDocument(document: Document.Parsed, limits: ParseLimits): void {
  const walk: Walk = { limit: limits.maxDocumentBytes, anchors: new Map(), open: new Set(), sizes: new Map(), aliases: 0 };
  sizeOf(walk, document.contents);
}

function sizeOf(walk: Walk, node: unknown): number {
  if (isAlias(node)) return aliasSize(walk, node.source, node.range?.[0] ?? 0);
  if (!isScalar(node) && !isMap(node) && !isSeq(node)) return 4; // null
  if (node.anchor) walk.anchors.set(node.anchor, node);
  walk.open.add(node);
  const size = isScalar(node) ? String(node.value).length + 2 : isMap(node) ? mapSize(walk, node.items as Pair[]) : seqSize(walk, node.items);
  walk.open.delete(node);
  if (node.anchor) walk.sizes.set(node, size);
  if (walk.aliases > 0 && size > walk.limit) {
    throw new YamlLimitError(`the document's aliases expand it to more than ${walk.limit} bytes (the document size limit)`, node.range?.[0] ?? 0, 'aliases');
  }
  return size;
}

function aliasSize(walk: Walk, name: string, offset: number): number {
  walk.aliases++;
  const target = walk.anchors.get(name);
  if (!target) throw new YamlLimitError(`the alias *${name} refers to no anchor &${name} before it`, offset);
  if (walk.open.has(target)) throw new YamlLimitError(`the alias *${name} refers to a node that contains it`, offset);
  return walk.sizes.get(target) ?? 4;
}

function mapSize(walk: Walk, pairs: Pair[]): number {
  const keys = new Set<string>();
  let size = 2;
  for (const pair of pairs) {
    if (!isPair(pair)) continue;
    const key = pair.key;
    if (isScalar(key)) {
      const name = key.value === null ? '' : String(key.value);
      if (keys.has(name)) throw new YamlLimitError('Map keys must be unique', key.range?.[0] ?? 0);
      keys.add(name);
    }
    size += sizeOf(walk, key) + sizeOf(walk, pair.value) + 2;
  }
  return size;
}

function seqSize(walk: Walk, items: unknown[]): number {
  let size = 2;
  for (const item of items) size += sizeOf(walk, item) + 1;
  return size;
}
