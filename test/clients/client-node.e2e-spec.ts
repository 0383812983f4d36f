import { ApiException, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKubeconfig } from '../support/kubeconfig';
import { killServices, spawnService } from '../support/service-process';

/**
 * The official JavaScript client through its full CRUD, against the built service as users run it,
 * configured from a kubeconfig file as users configure it.
 */
type Obj = { metadata: { name: string; uid: string; resourceVersion: string; generation: number; labels?: Record<string, string> }; spec: Record<string, unknown>; status?: unknown };
type List = { kind: string; items: Obj[] };

const workload = (name: string, app: string, address = '10.0.0.1') => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, labels: { app } }, spec: { address, serviceAccount: 'details-legacy' },
});
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** What the client raises for an error answer: an ApiException carrying the code and the Status body. */
async function failure(call: Promise<unknown>): Promise<{ code: number; status: Record<string, any> }> {
  const error = await call.then(() => undefined, (raised: unknown) => raised);
  expect(error).toBeInstanceOf(ApiException);
  const { code, body } = error as ApiException<string>;
  return { code, status: JSON.parse(body) };
}

describe('the JavaScript client (@kubernetes/client-node, CustomObjectsApi)', () => {
  let home: string;
  let api: CustomObjectsApi;
  const at = { group: 'networking.istio.io', version: 'v1', namespace: 'bookinfo', plural: 'workloadentries' };
  const create = (name: string, app = 'x', address?: string) => api.createNamespacedCustomObject({ ...at, body: workload(name, app, address) }) as Promise<Obj>;
  const get = (name: string) => api.getNamespacedCustomObject({ ...at, name }) as Promise<Obj>;
  const names = (list: List) => list.items.map((item) => item.metadata.name);

  beforeAll(async () => {
    const service = await spawnService({ LOG_LEVEL: 'warn' });
    await service.waitUntilReady();
    home = await mkdtemp(join(tmpdir(), 'mesh-client-node-'));
    const kc = new KubeConfig();
    kc.loadFromFile(await writeKubeconfig(home, service.url));
    api = kc.makeApiClient(CustomObjectsApi);
  });
  afterAll(async () => {
    await killServices();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('creates, gets, and lists by label selector', async () => {
    const created = await create('list-1');
    await create('list-2');
    await create('list-3', 'other');
    expect(created).toMatchObject({ kind: 'WorkloadEntry', metadata: { name: 'list-1', namespace: 'bookinfo', generation: 1 } });
    expect((await get('list-1')).metadata.uid).toBe(created.metadata.uid);
    const list = (await api.listNamespacedCustomObject({ ...at, labelSelector: 'app=x' })) as List;
    expect(list.kind).toBe('WorkloadEntryList');
    expect(names(list)).toEqual(['list-1', 'list-2']);
  });

  it('replaces with the resourceVersion it read; a stale one is a 409 Conflict', async () => {
    const created = await create('replaced');
    const body = { ...workload('replaced', 'x', '10.0.0.2'), metadata: { ...workload('replaced', 'x').metadata, resourceVersion: created.metadata.resourceVersion } };
    const replaced = (await api.replaceNamespacedCustomObject({ ...at, name: 'replaced', body })) as Obj;
    expect(replaced).toMatchObject({ metadata: { generation: 2, uid: created.metadata.uid }, spec: { address: '10.0.0.2' } });
    const stale = await failure(api.replaceNamespacedCustomObject({ ...at, name: 'replaced', body }));
    expect(stale).toMatchObject({ code: 409, status: { kind: 'Status', reason: 'Conflict' } });
  });

  it('merge-patches and JSON-patches metadata without moving generation, and patches status alone', async () => {
    await create('patched');
    const merged = (await api.patchNamespacedCustomObject({ ...at, name: 'patched', body: { metadata: { labels: { tier: 'db' } } } }, mergePatch)) as Obj;
    expect(merged.metadata).toMatchObject({ generation: 1, labels: { app: 'x', tier: 'db' } });
    // The client's default patch type is a JSON patch.
    const jsonPatched = (await api.patchNamespacedCustomObject({ ...at, name: 'patched', body: [{ op: 'replace', path: '/spec/address', value: '10.0.0.9' }] })) as Obj;
    expect(jsonPatched).toMatchObject({ metadata: { generation: 2 }, spec: { address: '10.0.0.9' } });
    const status = { status: { conditions: [{ type: 'Healthy', status: 'True' }] } };
    const withStatus = (await api.patchNamespacedCustomObjectStatus({ ...at, name: 'patched', body: status }, mergePatch)) as Obj;
    expect(withStatus).toMatchObject({ metadata: { generation: 2 }, spec: { address: '10.0.0.9' }, ...status });
  });

  it('raises an ApiException with the Status of a 404, a 409 and a 422', async () => {
    await create('taken');
    expect(await failure(get('nope'))).toEqual({
      code: 404,
      status: expect.objectContaining({ kind: 'Status', reason: 'NotFound', message: 'workloadentries.networking.istio.io "nope" not found' }),
    });
    expect(await failure(create('taken'))).toMatchObject({ code: 409, status: { reason: 'AlreadyExists', details: { name: 'taken' } } });
    const invalid = await failure(create('bad', 'x', 'not an address!'));
    expect(invalid).toMatchObject({ code: 422, status: { reason: 'Invalid', details: { causes: [expect.objectContaining({ field: 'spec.address' })] } } });
  });

  it('deletes one object, with and without DeleteOptions, and a collection by label selector', async () => {
    const gone = await create('gone');
    expect(await api.deleteNamespacedCustomObject({ ...at, name: 'gone' })).toMatchObject({
      kind: 'Status', status: 'Success', details: { name: 'gone', uid: gone.metadata.uid },
    });
    await create('gone-with-options');
    const options = { propagationPolicy: 'Background', gracePeriodSeconds: 0 };
    expect(await api.deleteNamespacedCustomObject({ ...at, name: 'gone-with-options', body: options })).toMatchObject({ status: 'Success' });
    expect((await failure(get('gone'))).code).toBe(404);

    for (const name of ['batch-1', 'batch-2']) await create(name, 'batch');
    await create('kept', 'keep');
    const deleted = (await api.deleteCollectionNamespacedCustomObject({ ...at, labelSelector: 'app=batch' })) as List;
    expect(names(deleted)).toEqual(['batch-1', 'batch-2']);
    const left = (await api.listNamespacedCustomObject({ ...at, labelSelector: 'app in (batch,keep)' })) as List;
    expect(names(left)).toEqual(['kept']);
  });
});
