/**
 * Nothing invalid is ever stored: for a selection of invalid objects (spec, CRD-only, webhook-only and
 * metadata rules of both kinds), every write path (create, create as a PUT, PUT over a valid object,
 * merge PATCH, JSON PATCH, each also with dryRun=All) answers the same 422 cause, and the stored
 * object stays exactly as it was (resourceVersion and generation included).
 */
import { apply as applyMergePatch } from 'json-merge-patch';
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import {
  bodyOf, causeMatching, collectionOf, ExpectedCause, itemOf, JSON_PATCH, Kind, MERGE_PATCH, namespaces, Spec,
} from './rule-helpers';

type Operation = { op: 'add' | 'remove' | 'replace'; path: string; value?: unknown };
interface Mutation {
  /** A JSON merge patch making the valid object invalid; applied locally, it also gives the full invalid body. */
  merge: { spec?: unknown; metadata?: Record<string, unknown> };
  /** The same change as JSON patch operations. */
  ops: Operation[];
}
type Row = [title: string, kind: Kind, mutation: (namespace: string) => Mutation, cause: ExpectedCause];

const HTTP = { number: 80, name: 'http', protocol: 'HTTP' };
const NAME = 'subject';

describe('nothing invalid is ever stored', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const nextNamespace = namespaces('ns');

  const rows: Row[] = [
    ['a WorkloadEntry port out of range', 'WorkloadEntry', () => ({
      merge: { spec: { ports: { http: 0 } } },
      ops: [{ op: 'add', path: '/spec/ports', value: { http: 0 } }],
    }), { reason: 'FieldValueInvalid', field: 'spec.ports.http', words: 'must be between 1 and 65535' }],
    ['a WorkloadEntry without address nor network', 'WorkloadEntry', () => ({
      merge: { spec: { address: null } },
      ops: [{ op: 'remove', path: '/spec/address' }],
    }), { reason: 'FieldValueRequired', field: 'spec.address', words: 'needs an address' }],
    ['a unix address with ports', 'WorkloadEntry', () => ({
      merge: { spec: { address: 'unix:///var/run/app.sock', ports: { http: 80 } } },
      ops: [{ op: 'replace', path: '/spec/address', value: 'unix:///var/run/app.sock' }, { op: 'add', path: '/spec/ports', value: { http: 80 } }],
    }), { reason: 'FieldValueForbidden', field: 'spec.ports', words: 'must not be set for a unix socket address' }],
    ['a wildcard address', 'WorkloadEntry', () => ({
      merge: { spec: { address: '*.corp.net' } },
      ops: [{ op: 'replace', path: '/spec/address', value: '*.corp.net' }],
    }), { reason: 'FieldValueInvalid', field: 'spec.address', words: 'wildcards are not allowed' }],
    ['a relative unix path (CRD CEL and webhook)', 'WorkloadEntry', () => ({
      merge: { spec: { address: 'unix://run/app.sock' } },
      ops: [{ op: 'replace', path: '/spec/address', value: 'unix://run/app.sock' }],
    }), { reason: 'FieldValueInvalid', field: 'spec.address', words: 'must be absolute' }],
    ['a string weight (type error)', 'WorkloadEntry', () => ({
      merge: { spec: { weight: 'heavy' } },
      ops: [{ op: 'add', path: '/spec/weight', value: 'heavy' }],
    }), { reason: 'FieldValueTypeInvalid', field: 'spec.weight', words: 'must be of type integer' }],
    ['a WorkloadEntry without spec', 'WorkloadEntry', () => ({
      merge: { spec: null },
      ops: [{ op: 'remove', path: '/spec' }],
    }), { reason: 'FieldValueRequired', field: 'spec' }],
    ['a bad spec label', 'WorkloadEntry', () => ({
      merge: { spec: { labels: { app: 'v*' } } },
      ops: [{ op: 'replace', path: '/spec/labels/app', value: 'v*' }],
    }), { reason: 'FieldValueInvalid', field: 'spec.labels.app', words: 'a label value must be empty' }],
    ['the istio.io/dry-run annotation on a WorkloadEntry', 'WorkloadEntry', () => ({
      merge: { metadata: { annotations: { 'istio.io/dry-run': 'true' } } },
      ops: [{ op: 'add', path: '/metadata/annotations', value: { 'istio.io/dry-run': 'true' } }],
    }), { reason: 'FieldValueForbidden', field: 'metadata.annotations.istio.io/dry-run', words: 'only supported on AuthorizationPolicy' }],
    ['a bad metadata label', 'WorkloadEntry', () => ({
      merge: { metadata: { labels: { 'bad key': 'v' } } },
      ops: [{ op: 'add', path: '/metadata/labels', value: { 'bad key': 'v' } }],
    }), { reason: 'FieldValueInvalid', field: 'metadata.labels', words: 'name part must consist' }],
    ['the host "*"', 'ServiceEntry', () => ({
      merge: { spec: { hosts: ['*'] } },
      ops: [{ op: 'replace', path: '/spec/hosts/0', value: '*' }],
    }), { reason: 'FieldValueInvalid', field: 'spec.hosts[0]', words: 'a host cannot be just "*"' }],
    ['a ServiceEntry without hosts', 'ServiceEntry', () => ({
      merge: { spec: { hosts: null } },
      ops: [{ op: 'remove', path: '/spec/hosts' }],
    }), { reason: 'FieldValueRequired', field: 'spec.hosts', words: 'needs at least one host' }],
    ['endpoints next to a workloadSelector', 'ServiceEntry', () => ({
      merge: { spec: { endpoints: [{ address: '10.0.0.1' }] } },
      ops: [{ op: 'add', path: '/spec/endpoints', value: [{ address: '10.0.0.1' }] }],
    }), { reason: 'FieldValueForbidden', field: 'spec.endpoints', words: 'may not be set together with workloadSelector' }],
    ['an FQDN endpoint with STATIC', 'ServiceEntry', () => ({
      merge: { spec: { workloadSelector: null, endpoints: [{ address: '10.0.0.1' }, { address: '10.0.0.2' }, { address: 'vm.corp.net' }] } },
      ops: [
        { op: 'remove', path: '/spec/workloadSelector' },
        { op: 'add', path: '/spec/endpoints', value: [{ address: '10.0.0.1' }, { address: '10.0.0.2' }, { address: 'vm.corp.net' }] },
      ],
    }), { reason: 'FieldValueInvalid', field: 'spec.endpoints[2].address', words: 'when resolution is STATIC' }],
    ['a duplicate port number', 'ServiceEntry', () => ({
      merge: { spec: { ports: [HTTP, { ...HTTP, name: 'web' }] } },
      ops: [{ op: 'add', path: '/spec/ports/-', value: { ...HTTP, name: 'web' } }],
    }), { reason: 'FieldValueDuplicate', field: 'spec.ports[1].number', words: 'Duplicate value: 80' }],
    ['an explicit targetPort 0 (CRD only)', 'ServiceEntry', () => ({
      merge: { spec: { ports: [{ ...HTTP, targetPort: 0 }] } },
      ops: [{ op: 'replace', path: '/spec/ports/0/targetPort', value: 0 }],
    }), { reason: 'FieldValueInvalid', field: 'spec.ports[0].targetPort', words: 'port must be between 1-65535' }],
    ['a CIDR with resolution DNS', 'ServiceEntry', () => ({
      merge: { spec: { resolution: 'DNS', addresses: ['10.0.0.0/8'] } },
      ops: [{ op: 'replace', path: '/spec/resolution', value: 'DNS' }, { op: 'add', path: '/spec/addresses', value: ['10.0.0.0/8'] }],
    }), { reason: 'FieldValueInvalid', field: 'spec.addresses[0]', words: 'only allowed with resolution NONE or STATIC' }],
    ['DYNAMIC_DNS with a host that is not a wildcard', 'ServiceEntry', () => ({
      merge: { spec: { resolution: 'DYNAMIC_DNS', workloadSelector: null } },
      ops: [{ op: 'replace', path: '/spec/resolution', value: 'DYNAMIC_DNS' }, { op: 'remove', path: '/spec/workloadSelector' }],
    }), { reason: 'FieldValueInvalid', field: 'spec.hosts[0]', words: 'needs wildcard hosts' }],
    ['an unknown location (enum)', 'ServiceEntry', () => ({
      merge: { spec: { location: 'MESH_NEARBY' } },
      ops: [{ op: 'replace', path: '/spec/location', value: 'MESH_NEARBY' }],
    }), { reason: 'FieldValueNotSupported', field: 'spec.location', words: 'Unsupported value: "MESH_NEARBY"' }],
    ['"." and its own namespace in exportTo', 'ServiceEntry', (namespace) => ({
      merge: { spec: { exportTo: ['.', namespace] } },
      ops: [{ op: 'add', path: '/spec/exportTo', value: ['.', namespace] }],
    }), { reason: 'FieldValueDuplicate', field: 'spec.exportTo[1]', words: 'Duplicate value' }],
    ['a reserved Istio annotation on a ServiceEntry', 'ServiceEntry', () => ({
      merge: { metadata: { annotations: { 'internal.istio.io/parents': 'x' } } },
      ops: [{ op: 'add', path: '/metadata/annotations', value: { 'internal.istio.io/parents': 'x' } }],
    }), { reason: 'FieldValueForbidden', field: 'metadata.annotations.internal.istio.io/parents', words: 'may not be set by users' }],
  ];

  it.each(rows)('%s: refused by every write path, stored object unchanged', async (_title, kind, mutationOf, cause) => {
    const namespace = nextNamespace();
    const { merge, ops } = mutationOf(namespace);
    const url = itemOf(kind, NAME, namespace);
    const fresh = itemOf(kind, 'fresh', namespace);
    const invalid = applyMergePatch(structuredClone(bodyOf(kind, NAME)), structuredClone(merge)) as Record<string, unknown>;
    const invalidFresh = { ...invalid, metadata: { ...(invalid.metadata as object), name: 'fresh' } };

    await request(t.url).post(collectionOf(kind, namespace)).send(bodyOf(kind, NAME)).expect(201);
    const original = (await request(t.url).get(url).expect(200)).body;

    const attempts: [string, () => request.Test][] = [
      ['create', () => request(t.url).post(collectionOf(kind, namespace)).send(invalidFresh)],
      ['create, dryRun=All', () => request(t.url).post(`${collectionOf(kind, namespace)}?dryRun=All`).send(invalidFresh)],
      ['create by PUT', () => request(t.url).put(fresh).send(invalidFresh)],
      ['create by PUT, dryRun=All', () => request(t.url).put(`${fresh}?dryRun=All`).send(invalidFresh)],
      ['PUT over the valid object', () => request(t.url).put(url).send(invalid)],
      ['PUT with its resourceVersion', () => request(t.url).put(url).send({ ...invalid, metadata: { ...(invalid.metadata as object), resourceVersion: original.metadata.resourceVersion } })],
      ['PUT, dryRun=All', () => request(t.url).put(`${url}?dryRun=All`).send(invalid)],
      ['merge PATCH', () => request(t.url).patch(url).set('content-type', MERGE_PATCH).send(JSON.stringify(merge))],
      ['merge PATCH, dryRun=All', () => request(t.url).patch(`${url}?dryRun=All`).set('content-type', MERGE_PATCH).send(JSON.stringify(merge))],
      ['JSON PATCH', () => request(t.url).patch(url).set('content-type', JSON_PATCH).send(JSON.stringify(ops))],
      ['JSON PATCH, dryRun=All', () => request(t.url).patch(`${url}?dryRun=All`).set('content-type', JSON_PATCH).send(JSON.stringify(ops))],
    ];
    for (const [attempt, send] of attempts) {
      const res = await send();
      expect({ attempt, status: res.status, reason: res.body.reason, causes: res.body.details?.causes ?? res.body }).toEqual({
        attempt, status: 422, reason: 'Invalid', causes: expect.arrayContaining([causeMatching(cause)]),
      });
      expect({ attempt, stored: (await request(t.url).get(url).expect(200)).body }).toEqual({ attempt, stored: original });
      expect({ attempt, fresh: (await request(t.url).get(fresh)).status }).toEqual({ attempt, fresh: 404 });
    }
    expect((await request(t.url).get(collectionOf(kind, namespace)).expect(200)).body.items).toEqual([original]);
  });

  it('still takes a valid write after refusing invalid ones', async () => {
    const namespace = nextNamespace();
    const url = itemOf('WorkloadEntry', NAME, namespace);
    await request(t.url).post(collectionOf('WorkloadEntry', namespace)).send(bodyOf('WorkloadEntry', NAME)).expect(201);
    await request(t.url).patch(url).set('content-type', MERGE_PATCH).send(JSON.stringify({ spec: { ports: { http: 0 } } })).expect(422);
    const res = await request(t.url).patch(url).set('content-type', MERGE_PATCH).send(JSON.stringify({ spec: { ports: { http: 8080 } } })).expect(200);
    expect(res.body.spec.ports).toEqual({ http: 8080 });
    expect(res.body.metadata.generation).toBe(2);
  });

  describe('the status subresource', () => {
    async function stored(kind: Kind, spec: Spec = {}) {
      const namespace = nextNamespace();
      await request(t.url).post(collectionOf(kind, namespace)).send(bodyOf(kind, NAME, spec)).expect(201);
      const url = itemOf(kind, NAME, namespace);
      return { url, original: (await request(t.url).get(url).expect(200)).body };
    }

    it.each<[string, unknown]>([
      ['an unknown validationMessages level', { validationMessages: [{ level: 'LOUD' }] }],
      ['a non-string condition type', { conditions: [{ type: 1, status: 'True' }] }],
    ])('refuses a status with %s, by PUT and merge PATCH', async (_title, status) => {
      const { url, original } = await stored('WorkloadEntry');
      const put = await request(t.url).put(`${url}/status`).send({ ...original, status });
      expect({ status: put.status, reason: put.body.reason }).toEqual({ status: 422, reason: 'Invalid' });
      expect(put.body.details.causes[0].field).toMatch(/^status\./);
      const patch = await request(t.url).patch(`${url}/status`).set('content-type', MERGE_PATCH).send(JSON.stringify({ status }));
      expect({ status: patch.status, reason: patch.body.reason }).toEqual({ status: 422, reason: 'Invalid' });
      expect((await request(t.url).get(url).expect(200)).body).toEqual(original);
    });

    it('ignores an invalid spec sent to the status subresource (only status is written)', async () => {
      const { url, original } = await stored('ServiceEntry');
      const status = { conditions: [{ type: 'Reconciled', status: 'True' }] };
      const res = await request(t.url).put(`${url}/status`).send({ ...original, spec: { hosts: ['*'] }, status }).expect(200);
      expect(res.body.spec).toEqual(original.spec);
      const after = (await request(t.url).get(url).expect(200)).body;
      expect(after.spec).toEqual(original.spec);
      expect(after.status).toEqual(status);
    });
  });
});
