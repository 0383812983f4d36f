import pino from 'pino';
import { ClusterSyncer, SourceView } from './cluster-syncer';
import { MANAGED_BY, MANAGED_BY_LABEL, MirrorObject, ORIGIN_ANNOTATION } from './mirror-rules';
import { ObjectClient, ObjectList } from './resource-client';
import { ClusterTarget } from './sync-config';
import { SyncKind, syncKind } from './sync-kinds';
import { SyncMetrics } from './sync-metrics';

const WE = syncKind('WorkloadEntry')!;
const WG = syncKind('WorkloadGroup')!;
const ORIGIN = 'registry-a';
const fail = (code: number | string, message = 'refused') => Object.assign(new Error(message), typeof code === 'number' ? { code, body: { message } } : { code });

/** A cluster's API server for one kind, in memory: resourceVersions, uids, 409s and preconditions as the apiserver has them. */
class FakeCluster implements ObjectClient {
  readonly objects = new Map<string, MirrorObject>();
  down = false;
  /** Names this cluster refuses to store (a webhook's 422). */
  refuse = new Set<string>();
  writes: string[] = [];
  private revision = 100;

  put(object: MirrorObject): MirrorObject {
    const stored = structuredClone({ ...object, metadata: { ...object.metadata, uid: object.metadata.uid ?? `uid-${++this.revision}`, resourceVersion: String(++this.revision) } });
    this.objects.set(`${object.metadata.namespace}/${object.metadata.name}`, stored);
    return structuredClone(stored);
  }

  private check(): void {
    if (this.down) throw fail('ECONNREFUSED');
  }

  async listAll(kind: SyncKind, namespace: string | undefined, labelSelector?: string): Promise<ObjectList> {
    this.check();
    if (kind !== WE) throw fail(404, 'the server could not find the requested resource');
    const [key, value] = (labelSelector ?? '').split('=');
    const items = [...this.objects.values()].filter((o) => (!namespace || o.metadata.namespace === namespace) && (!key || o.metadata.labels?.[key] === value));
    return { items: structuredClone(items), resourceVersion: String(this.revision) };
  }

  async get(_kind: SyncKind, namespace: string, name: string): Promise<MirrorObject | undefined> {
    this.check();
    const found = this.objects.get(`${namespace}/${name}`);
    return found && structuredClone(found);
  }

  async create(_kind: SyncKind, object: MirrorObject): Promise<MirrorObject> {
    this.check();
    if (this.refuse.has(object.metadata.name)) throw fail(422, 'spec.address: Invalid value');
    if (this.objects.has(`${object.metadata.namespace}/${object.metadata.name}`)) throw fail(409, 'already exists');
    this.writes.push(`create ${object.metadata.namespace}/${object.metadata.name}`);
    return this.put(object);
  }

  async replace(_kind: SyncKind, object: MirrorObject): Promise<MirrorObject> {
    this.check();
    const current = this.objects.get(`${object.metadata.namespace}/${object.metadata.name}`);
    if (!current) throw fail(404);
    if (current.metadata.resourceVersion !== object.metadata.resourceVersion) throw fail(409, 'the object has been modified');
    this.writes.push(`replace ${object.metadata.namespace}/${object.metadata.name}`);
    return this.put(object);
  }

  async delete(_kind: SyncKind, object: MirrorObject): Promise<void> {
    this.check();
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    const current = this.objects.get(key);
    if (!current) throw fail(404);
    if (current.metadata.uid !== object.metadata.uid || current.metadata.resourceVersion !== object.metadata.resourceVersion) throw fail(409, 'precondition failed');
    this.writes.push(`delete ${key}`);
    this.objects.delete(key);
  }
}

class FakeSource implements SourceView {
  readonly objects_ = new Map<string, MirrorObject>();
  private revision = 0;
  synced = () => true;
  get = (_kind: SyncKind, namespace: string, name: string) => this.objects_.get(`${namespace}/${name}`);
  objects = () => this.objects_.values();
  set(name: string, namespace: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): void {
    this.objects_.set(`${namespace}/${name}`, { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, namespace, labels, resourceVersion: String(++this.revision) }, spec });
  }
}

const target = (over: Partial<ClusterTarget> = {}): ClusterTarget => ({ name: 'east', kubeconfig: '/k', inCluster: false, labelSelector: '', namespaceMapping: {}, writesPerSecond: 1000, concurrency: 2, ...over });
const mirrored = (name: string, namespace: string, spec: Record<string, unknown>, origin = ORIGIN): MirrorObject => ({
  metadata: { name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY }, annotations: { [ORIGIN_ANNOTATION]: origin } }, spec,
});

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('not within the time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe(ClusterSyncer.name, () => {
  let source: FakeSource;
  let cluster: FakeCluster;
  let sut: ClusterSyncer;
  const start = (over: Partial<ClusterTarget> = {}, kinds = [WE]) => {
    sut = new ClusterSyncer(target(over), kinds, source, cluster, ORIGIN, pino({ level: 'silent' }), new SyncMetrics(() => ({})), 3600);
    sut.start();
  };
  beforeEach(() => {
    source = new FakeSource();
    cluster = new FakeCluster();
  });
  afterEach(() => sut.stop());

  it('converges in full: creates, replaces, deletes its own, and leaves others\' objects alone', async () => {
    source.set('missing', 'bookinfo', { address: '10.0.0.1' });
    source.set('stale', 'bookinfo', { address: '10.0.0.2' });
    source.set('taken', 'bookinfo', { address: '10.0.0.3' });
    cluster.put(mirrored('stale', 'bookinfo', { address: '10.9.9.9' }));
    cluster.put(mirrored('gone', 'bookinfo', { address: '10.0.0.4' }));
    cluster.put({ metadata: { name: 'taken', namespace: 'bookinfo' }, spec: { address: 'by-hand' } });
    cluster.put({ metadata: { name: 'handmade', namespace: 'bookinfo' }, spec: {} });
    cluster.put(mirrored('other-registry', 'bookinfo', {}, 'registry-b'));
    start();
    await until(() => sut.initialSyncDone);
    expect(cluster.writes.sort()).toEqual(['create bookinfo/missing', 'delete bookinfo/gone', 'replace bookinfo/stale']);
    expect(cluster.objects.get('bookinfo/taken')!.spec).toEqual({ address: 'by-hand' });
    expect([...cluster.objects.keys()].sort()).toEqual(['bookinfo/handmade', 'bookinfo/missing', 'bookinfo/other-registry', 'bookinfo/stale', 'bookinfo/taken']);
    expect(sut.status()).toMatchObject({ desired: 3, inSync: 2, clashes: [{ name: 'taken', reason: expect.stringMatching(/someone else/) }] });
  });

  it('follows changes one key at a time, mapped and selected, and writes a key changed many times once', async () => {
    start({ namespaceMapping: { bookinfo: 'vms' }, namespaces: ['bookinfo'], labelSelector: 'sync!=off' });
    await until(() => sut.initialSyncDone);
    for (let i = 0; i < 5; i++) source.set('vm', 'bookinfo', { address: `10.0.0.${i}` });
    sut.sourceChanged(WE, 'bookinfo', 'vm');
    source.set('elsewhere', 'payments', {});
    sut.sourceChanged(WE, 'payments', 'elsewhere');
    await until(() => cluster.objects.has('vms/vm') && sut.queued() === 0);
    expect(sut.lagSeconds()).toBe(0);
    expect(sut.inSync()).toBe(1);
    expect(cluster.objects.get('vms/vm')!.spec).toEqual({ address: '10.0.0.4' });
    expect(cluster.writes).toEqual(['create vms/vm']);
    source.set('vm', 'bookinfo', { address: '10.0.0.4' }, { sync: 'off' });
    sut.sourceChanged(WE, 'bookinfo', 'vm');
    await until(() => !cluster.objects.has('vms/vm'));
    expect(sut.inSync()).toBe(0);
  });

  it('pauses a cluster that is down without losing a change, then converges it once it answers', async () => {
    cluster.down = true;
    source.set('vm-1', 'bookinfo', {});
    start();
    await until(() => sut.attempted);
    expect(sut.reachable()).toBe(false);
    expect(sut.initialSyncDone).toBe(false);
    source.set('vm-2', 'bookinfo', {});
    sut.sourceChanged(WE, 'bookinfo', 'vm-2');
    cluster.down = false;
    await until(() => sut.initialSyncDone && cluster.objects.size === 2);
    expect(sut.reachable()).toBe(true);
    expect(sut.lagSeconds()).toBe(0);
  });

  it('retries an object the cluster refuses, apart from the others, and shows it in the status', async () => {
    cluster.refuse.add('bad');
    source.set('bad', 'bookinfo', {});
    source.set('good', 'bookinfo', {});
    start();
    await until(() => sut.initialSyncDone);
    expect([...cluster.objects.keys()]).toEqual(['bookinfo/good']);
    expect(sut.status().failing).toEqual([{ key: 'WorkloadEntry|bookinfo|bad', attempts: 1, error: 'spec.address: Invalid value' }]);
    expect(sut.lagSeconds()).toBe(0);
    cluster.refuse.clear();
    await until(() => cluster.objects.has('bookinfo/bad'), 3000);
    expect(sut.status().failing).toEqual([]);
  });

  it('syncs the kinds a cluster serves when it lacks the CRD of another, and says which', async () => {
    source.set('vm', 'bookinfo', {});
    start({}, [WE, WG]);
    await until(() => sut.initialSyncDone);
    expect([...cluster.objects.keys()]).toEqual(['bookinfo/vm']);
    expect(sut.status()).toMatchObject({ missingKinds: ['WorkloadGroup'], lastError: { message: expect.stringMatching(/^workloadgroups.networking.istio.io\/v1: /) } });
    sut.sourceChanged(WG, 'bookinfo', 'group');
    expect(sut.queued()).toBe(0);
  });

  it('reads an object again when it changed between the read and the write, and never overwrites one made meanwhile', async () => {
    start();
    await until(() => sut.initialSyncDone);
    // Someone takes the name after the full sync: the create's 409 makes the sync read it, and report the clash.
    cluster.put({ metadata: { name: 'raced', namespace: 'bookinfo' }, spec: { address: 'theirs' } });
    source.set('raced', 'bookinfo', { address: 'ours' });
    sut.requestFullSync();
    await until(() => sut.clashes() === 1);
    expect(cluster.objects.get('bookinfo/raced')!.spec).toEqual({ address: 'theirs' });
  });
});
