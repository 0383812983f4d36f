import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { MirrorObject } from './mirror-rules';
import { SyncKind } from './sync-kinds';

export interface ObjectList {
  items: MirrorObject[];
  resourceVersion: string;
}

const PAGE = 500;
/** A cluster that accepts the connection and never answers must not hold a worker (or readiness) forever. */
const CALL_TIMEOUT_MS = 15_000;

class CallTimeout extends Error {
  override readonly name = 'CallTimeout';
}

function timed<T>(call: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeout(`${what}: no answer within ${CALL_TIMEOUT_MS / 1000} s`)), CALL_TIMEOUT_MS);
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}

/** The calls the sync makes on a cluster, as ClusterSyncer needs them (a fake in its unit test). */
export type ObjectClient = Pick<ResourceClient, 'listAll' | 'get' | 'create' | 'replace' | 'delete'>;

/**
 * The five calls the sync makes on a cluster (or on the registry), through client-node's
 * CustomObjectsApi: what kubectl and controllers do against CRDs, nothing specific to mesh-registry.
 */
export class ResourceClient {
  private readonly api: CustomObjectsApi;

  constructor(kc: KubeConfig) {
    this.api = kc.makeApiClient(CustomObjectsApi);
  }

  /** Every object (paged, 500 a page), and the list's resourceVersion to watch from. */
  async listAll(kind: SyncKind, namespace: string | undefined, labelSelector?: string): Promise<ObjectList> {
    const items: MirrorObject[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const params = { group: kind.group, version: kind.version, plural: kind.plural, labelSelector: labelSelector || undefined, limit: PAGE, _continue: token };
      const page = (await timed(
        namespace ? this.api.listNamespacedCustomObject({ ...params, namespace }) : this.api.listClusterCustomObject(params),
        `list ${kind.plural}`,
      )) as { items?: MirrorObject[]; metadata?: { resourceVersion?: string; continue?: string } };
      items.push(...(page.items ?? []));
      resourceVersion = page.metadata?.resourceVersion ?? '';
      token = page.metadata?.continue || undefined;
    } while (token);
    return { items, resourceVersion };
  }

  /** The object, or undefined when there is none. */
  async get(kind: SyncKind, namespace: string, name: string): Promise<MirrorObject | undefined> {
    try {
      return (await timed(this.api.getNamespacedCustomObject({ group: kind.group, version: kind.version, plural: kind.plural, namespace, name }), `get ${kind.plural}`)) as MirrorObject;
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) return undefined;
      throw error;
    }
  }

  async create(kind: SyncKind, object: MirrorObject): Promise<MirrorObject> {
    const { namespace } = object.metadata;
    return (await timed(this.api.createNamespacedCustomObject({ group: kind.group, version: kind.version, plural: kind.plural, namespace, body: object }), `create ${kind.plural}`)) as MirrorObject;
  }

  /** A PUT carrying the object's resourceVersion: it fails with 409 if the object changed since it was read. */
  async replace(kind: SyncKind, object: MirrorObject): Promise<MirrorObject> {
    const { namespace, name } = object.metadata;
    return (await timed(this.api.replaceNamespacedCustomObject({ group: kind.group, version: kind.version, plural: kind.plural, namespace, name, body: object }), `replace ${kind.plural}`)) as MirrorObject;
  }

  /** Deletes exactly the object that was read (uid and resourceVersion preconditions), never one made since under its name. */
  async delete(kind: SyncKind, object: MirrorObject): Promise<void> {
    const { namespace, name, uid, resourceVersion } = object.metadata;
    await timed(
      this.api.deleteNamespacedCustomObject({ group: kind.group, version: kind.version, plural: kind.plural, namespace, name, body: { preconditions: { uid, resourceVersion } } }),
      `delete ${kind.plural}`,
    );
  }
}
