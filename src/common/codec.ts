import { stringify } from 'yaml';

/** JSON and YAML both ways, as the Kubernetes API server negotiates them. */
export type WireFormat = 'json' | 'yaml';

export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

/**
 * The format the client prefers by q-value and order; `fallback` when it names neither (no header,
 * or any type). JSON is the fallback of the Kubernetes API (kubectl's default); exports fall back to YAML.
 */
export function negotiateFormat(accept: string | undefined, fallback: WireFormat = 'json'): WireFormat {
  if (!accept) return fallback;
  const ranked = accept
    .split(',')
    .map((part, index) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type } of ranked) {
    if (YAML_MEDIA_TYPES.includes(type)) return 'yaml';
    if (type === 'application/json' || type === 'application/*') return 'json';
    if (type === '*/*') return fallback;
  }
  return fallback;
}

export function encode(value: unknown, format: WireFormat): string {
  return format === 'yaml' ? stringify(value, { lineWidth: 0 }) : JSON.stringify(value);
}

export function contentTypeOf(format: WireFormat): string {
  return format === 'yaml' ? 'application/yaml' : 'application/json';
}
