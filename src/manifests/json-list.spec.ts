import { renderJsonList, renderJsonListChunks } from './json-list';
import { toCleanManifest } from './clean-manifest';
import { allFixtures, detailsService, detailsWorkload } from './test-fixtures';

const collect = async (chunks: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
};

describe('renderJsonList', () => {
  it('renders a List with one clean item per line', () => {
    expect(renderJsonList([detailsWorkload(), detailsService()])).toBe(
      '{"apiVersion":"v1","kind":"List","metadata":{},"items":[\n' +
        '{"apiVersion":"networking.istio.io/v1","kind":"WorkloadEntry","metadata":{"name":"details-svc","namespace":"bookinfo"},' +
        '"spec":{"address":"2.2.2.2","labels":{"app":"details-legacy","instance-id":"vm1"},"serviceAccount":"details-legacy"}},\n' +
        '{"apiVersion":"networking.istio.io/v1","kind":"ServiceEntry","metadata":{"name":"details-svc","namespace":"bookinfo"},' +
        '"spec":{"hosts":["details.bookinfo.com"],"location":"MESH_INTERNAL","ports":[{"name":"http","number":80,"protocol":"HTTP","targetPort":8080}],' +
        '"resolution":"STATIC","workloadSelector":{"labels":{"app":"details-legacy"}}}}\n' +
        ']}\n',
    );
  });

  it('renders an empty List', () => {
    expect(renderJsonList([])).toBe('{"apiVersion":"v1","kind":"List","metadata":{},"items":[]}\n');
  });

  it('is valid JSON holding the clean manifests', () => {
    const list = JSON.parse(renderJsonList(allFixtures()));
    expect(list.items).toEqual(allFixtures().map(toCleanManifest));
  });
});

describe('renderJsonListChunks', () => {
  it.each([
    ['four items', allFixtures(), 6],
    ['no items', [], 2],
  ])('%s: head, one chunk per item, tail; concatenates to renderJsonList', async (_name, objs, count) => {
    const chunks = await collect(renderJsonListChunks(objs));
    expect(chunks).toHaveLength(count);
    expect(chunks.join('')).toBe(renderJsonList(objs));
  });
});
