// The package ships no type declarations; these cover the one function used.
declare module 'json-merge-patch' {
  /** RFC 7386: applies `patch` to (a copy of) `target`. */
  export function apply(target: unknown, patch: unknown): unknown;
}
