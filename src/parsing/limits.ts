/**
 * How deep a request body (and any object the registry stores) may nest, in objects and arrays. The
 * two kinds need about eight levels; the bound exists so that no recursive step (validation, merge
 * patch, comparison, encoding) can run out of stack. It is fixed rather than configurable because a
 * stored object must stay readable by every replica and by the next import of an export.
 */
export const MAX_NESTING_DEPTH = 100;

/** What one parse may hold; each is a 400 (or 413 for sizes) naming the limit, never work done first. */
export interface ParseLimits {
  /** Largest document: as written (YAML text, comments included) and as JSON once aliases are expanded. */
  maxDocumentBytes: number;
  /** YAML aliases (`*name`) per document. */
  maxAliases: number;
  maxDepth: number;
}
