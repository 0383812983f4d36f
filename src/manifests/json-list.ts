import { AnyKubeObject, toCleanManifest } from './clean-manifest';

/**
 * Export as a JSON `List` (Accept: application/json): the same clean manifests, one compact item per
 * line so the output is stable and diffs line by line, e.g.
 *
 *   {"apiVersion":"v1","kind":"List","metadata":{},"items":[
 *   {"apiVersion":"networking.istio.io/v1","kind":"WorkloadEntry",...},
 *   {"apiVersion":"networking.istio.io/v1","kind":"ServiceEntry",...}
 *   ]}
 *
 * `parseImportStream` reads it back (kind `List` is expanded into its items).
 */
const LIST_HEAD = '{"apiVersion":"v1","kind":"List","metadata":{},"items":[';

/** The whole List in memory; fine for a workload's manifest, use the chunks for an export. */
export function renderJsonList(manifests: Iterable<AnyKubeObject>): string {
  let out = '';
  for (const chunk of listChunks(manifests)) out += chunk;
  return out;
}

function* listChunks(manifests: Iterable<AnyKubeObject>): Generator<string> {
  let count = 0;
  yield LIST_HEAD;
  for (const manifest of manifests) yield itemChunk(manifest, count++);
  yield listTail(count);
}

/** Streaming variant: the head, one chunk per item, the tail; concatenates to `renderJsonList`. */
export async function* renderJsonListChunks(
  source: AsyncIterable<AnyKubeObject> | Iterable<AnyKubeObject>,
): AsyncGenerator<string> {
  let count = 0;
  yield LIST_HEAD;
  for await (const manifest of source) yield itemChunk(manifest, count++);
  yield listTail(count);
}

const itemChunk = (manifest: AnyKubeObject, index: number) =>
  `${index === 0 ? '' : ','}\n${JSON.stringify(toCleanManifest(manifest))}`;

const listTail = (count: number) => `${count === 0 ? '' : '\n'}]}\n`;
