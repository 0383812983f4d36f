import { stringify, ToStringOptions, DocumentOptions, SchemaOptions, CreateNodeOptions } from 'yaml';
import { AnyKubeObject, toCleanManifest } from './clean-manifest';

export const YAML_DOCUMENT_SEPARATOR = '---\n';

/**
 * YAML 1.2 core schema, with `compat: 'yaml-1.1'` so that a string YAML 1.1 would read as something else
 * (`yes`, `on`, `0755`, `1_000`, `2024-01-01`) is quoted too: kubectl parses manifests as YAML 1.1. Other
 * strings stay plain. No line folding (lineWidth 0) and block sequences at their key's indentation, as
 * `kubectl get -o yaml` and Istio's docs print them.
 */
const YAML_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  version: '1.2',
  schema: 'core',
  compat: 'yaml-1.1',
  lineWidth: 0,
  minContentWidth: 0,
  indent: 2,
  indentSeq: false,
  aliasDuplicateObjects: false,
};

/** One clean manifest as a YAML document ending in a newline, without a `---` marker. */
export function renderYamlDocument(manifest: AnyKubeObject): string {
  return stringify(toCleanManifest(manifest), YAML_OPTIONS);
}

/**
 * Documents in the given order, separated by `---\n` (no leading marker, no trailing one); an empty
 * list renders as the empty string. Callers sort first (`sortManifests`) when the source is unordered.
 */
export function renderYamlStream(manifests: Iterable<AnyKubeObject>): string {
  return Array.from(manifests, renderYamlDocument).join(YAML_DOCUMENT_SEPARATOR);
}

/**
 * Streaming variant for export: one chunk per document (the separator leads every chunk but the
 * first), so only one object is held at a time. The chunks concatenate to `renderYamlStream`'s output.
 */
export async function* renderYamlStreamChunks(
  source: AsyncIterable<AnyKubeObject> | Iterable<AnyKubeObject>,
): AsyncGenerator<string> {
  let first = true;
  for await (const manifest of source) {
    yield (first ? '' : YAML_DOCUMENT_SEPARATOR) + renderYamlDocument(manifest);
    first = false;
  }
}
