import { Agent, request as httpRequest } from 'node:http';
import { aServiceEntry, aWorkloadEntry, aWorkloadGroup, GROUP_PATH } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A hostile-input sweep: hundreds of malformed requests, generated from a few dimensions (route ×
 * malformed part), over every route. Each must get a 4xx Kubernetes Status whose code is the HTTP
 * status, and the store must be exactly as it was afterwards.
 */
interface Probe {
  title: string;
  method: string;
  path: string;
  contentType?: string;
  body?: string;
}

const JSON_TYPE = 'application/json';
const YAML_TYPE = 'application/yaml';
const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const LONG = 'a'.repeat(600);
const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;

const KINDS = [
  { kind: 'WorkloadEntry', plural: 'workloadentries', make: aWorkloadEntry },
  { kind: 'ServiceEntry', plural: 'serviceentries', make: aServiceEntry },
  { kind: 'WorkloadGroup', plural: 'workloadgroups', make: aWorkloadGroup },
];

/** Bodies no write may accept, with the content type they are sent as. */
function badBodies(kind: string, valid: object): [string, string, string][] {
  const json = JSON.stringify(valid);
  const aliasBomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 11 }, (_, i) =>
    `${'b'.repeat(i + 1)}: &${'a'.repeat(i + 2)} [${Array(9).fill(`*${'a'.repeat(i + 1)}`).join(',')}]`)].join('\n');
  return [
    ['malformed JSON', JSON_TYPE, '{"apiVersion":'],
    ['an empty JSON body', JSON_TYPE, ''],
    ['a JSON null', JSON_TYPE, 'null'],
    ['a JSON array', JSON_TYPE, '[]'],
    ['a JSON string', JSON_TYPE, '"text"'],
    ['a JSON number', JSON_TYPE, '42'],
    ['no kind', JSON_TYPE, json.replace(`"kind":"${kind}",`, '')],
    ['no apiVersion', JSON_TYPE, json.replace('"apiVersion":"networking.istio.io/v1",', '')],
    ['another kind', JSON_TYPE, json.replace(`"kind":"${kind}"`, '"kind":"Pod"')],
    ['another apiVersion', JSON_TYPE, json.replace('networking.istio.io/v1', 'networking.istio.io/v1alpha3')],
    ['metadata as a string', JSON_TYPE, json.replace(/"metadata":\{[^}]*\}/, '"metadata":"x"')],
    ['a NUL in a spec string', JSON_TYPE, json.replace('"spec":{', '"spec":{"x":"a\\u0000b",')],
    ['a lone surrogate in a label', JSON_TYPE, json.replace('"metadata":{', '"metadata":{"labels":{"a":"\\ud800"},')],
    ['a __proto__ key', JSON_TYPE, json.replace('"spec":{', '"spec":{"__proto__":{"polluted":true},')],
    ['JSON nested 5,000 levels', JSON_TYPE, json.replace('"spec":{', `"spec":{"x":${DEEP},`)],
    ['a body over the size limit', JSON_TYPE, json.replace('"spec":{', `"spec":{"x":"${'x'.repeat(70_000)}",`)],
    ['malformed YAML', YAML_TYPE, 'apiVersion: [\nkind: x'],
    ['two YAML documents', YAML_TYPE, 'a: 1\n---\nb: 2\n'],
    ['an undefined YAML alias', YAML_TYPE, `apiVersion: networking.istio.io/v1\nkind: ${kind}\nmetadata: {name: x}\nspec: *nope\n`],
    ['a self-referencing YAML alias', YAML_TYPE, `apiVersion: networking.istio.io/v1\nkind: ${kind}\nmetadata: {name: x}\nspec: &s {x: *s}\n`],
    ['a YAML alias bomb', YAML_TYPE, aliasBomb],
    ['a duplicate YAML key', YAML_TYPE, `apiVersion: networking.istio.io/v1\nkind: ${kind}\nkind: ${kind}\n`],
    ['text/plain', 'text/plain', json],
    ['XML', 'application/xml', '<x/>'],
  ];
}

/** The same bad content, moved from spec or metadata into status (one of them, so no key repeats). */
const intoStatus = (body: string) =>
  // The bad label is the one badBodies put first in metadata (a WorkloadGroup's spec has metadata.labels too).
  body.includes('"metadata":{"labels":{"a":"\\ud800"}') ? body.replace('"metadata":{"labels":', '"status":{"labels":') : body.replace('"spec":{', '"status":{');

function probes(): Probe[] {
  const out: Probe[] = [];
  const add = (title: string, method: string, path: string, contentType?: string, body?: string) => out.push({ title, method, path, contentType, body });
  for (const { kind, plural, make } of KINDS) {
    const collection = `${GROUP_PATH}/namespaces/default/${plural}`;
    const item = `${collection}/sweep-target`;
    const valid = make('sweep-target');
    // Paths: bad namespaces and names on every verb of every route.
    for (const [what, ns] of [['an invalid namespace', 'Bad_NS'], ['a NUL namespace', 'a%00b'], ['a malformed escape', '%zz'], ['a 600-character namespace', LONG]]) {
      for (const method of ['GET', 'DELETE']) add(`${method} ${plural} in ${what}`, method, `${GROUP_PATH}/namespaces/${ns}/${plural}`);
      for (const suffix of ['/x', '/x/status']) add(`GET ${plural}${suffix} in ${what}`, 'GET', `${GROUP_PATH}/namespaces/${ns}/${plural}${suffix}`);
      add(`PATCH ${plural}/x in ${what}`, 'PATCH', `${GROUP_PATH}/namespaces/${ns}/${plural}/x`, MERGE, '{}');
    }
    for (const [what, name] of [['a NUL name', 'a%00b'], ['a malformed escape', '%zz'], ['a 600-character name', LONG], ['a control character', 'a%0Ab']]) {
      for (const suffix of ['', '/status']) {
        add(`GET ${plural} with ${what}${suffix}`, 'GET', `${collection}/${name}${suffix}`);
        add(`PUT ${plural} with ${what}${suffix}`, 'PUT', `${collection}/${name}${suffix}`, JSON_TYPE, JSON.stringify(valid));
        add(`PATCH ${plural} with ${what}${suffix}`, 'PATCH', `${collection}/${name}${suffix}`, MERGE, '{}');
      }
      add(`DELETE ${plural} with ${what}`, 'DELETE', `${collection}/${name}`);
    }
    // List parameters, on the namespaced and the cluster-wide list and on deletecollection.
    for (const query of ['limit=-1', 'limit=abc', 'limit=1e3', 'limit=99999999999999999999', 'continue=garbage', 'continue=%00',
      `continue=${Buffer.from('{"v":1,"ns":"default","n":"a\\u0000"}').toString('base64url')}`, 'labelSelector=a%20in%20(', 'labelSelector=!!', 'labelSelector=a%3D%00',
      'fieldSelector=spec.address%3D1', 'fieldSelector=metadata.name', 'fieldSelector=metadata.name%3D%00', 'watch=yes',
      'watch=true&resourceVersion=abc', 'watch=true&sendInitialEvents=true', 'watch=true&timeoutSeconds=-1', 'watch=true&labelSelector=!!']) {
      add(`GET ${plural}?${query}`, 'GET', `${collection}?${query}`);
      add(`GET all ${plural}?${query}`, 'GET', `${GROUP_PATH}/${plural}?${query}`);
      if (!query.startsWith('watch')) add(`DELETE ${plural}?${query}`, 'DELETE', `${collection}?${query}`);
    }
    // A write parameter on deletecollection (a list ignores it, as the apiserver does).
    for (const query of ['dryRun=Nope', 'fieldValidation=Loud']) add(`DELETE ${plural}?${query}`, 'DELETE', `${collection}?${query}`);
    // Bodies, on every write.
    for (const [what, type, body] of badBodies(kind, valid)) {
      add(`POST ${plural}: ${what}`, 'POST', collection, type, body);
      add(`PUT ${plural}/sweep-target: ${what}`, 'PUT', item, type, body);
    }
    // A status write ignores spec and metadata (as the apiserver's status subresource does): bad content goes in status.
    for (const [what, type, body] of badBodies(kind, valid)) {
      add(`PUT ${plural}/sweep-target/status: ${what}`, 'PUT', `${item}/status`, type, intoStatus(body));
    }
    for (const query of ['dryRun=Nope', 'fieldValidation=Loud', 'fieldValidation=Strict&dryRun=All&dryRun=x']) {
      add(`POST ${plural}?${query}`, 'POST', `${collection}?${query}`, JSON_TYPE, JSON.stringify(make('sweep-query')));
    }
    // Patches of every type, on the object and its status.
    for (const suffix of ['', '/status']) {
      const target = `${item}${suffix}`;
      const part = suffix ? 'status' : 'spec';
      for (const [what, type, body] of [
        ['a merge patch that is an array', MERGE, '[]'], ['a merge patch that is a string', MERGE, '"x"'], ['malformed merge JSON', MERGE, '{'],
        ['a merge patch nested 5,000 levels', MERGE, `{"status":${DEEP}}`], ['a merge patch with a NUL', MERGE, `{"${part}":{"address":"\\u0000"}}`],
        ['a merge patch with __proto__', MERGE, `{"${part}":{"__proto__":{"a":"b"}}}`], ['a merge patch removing kind', MERGE, '{"kind":null}'],
        ['a JSON patch that is an object', JSON_PATCH, '{}'], ['a JSON patch with an unknown op', JSON_PATCH, '[{"op":"frob","path":"/spec"}]'],
        ['a JSON patch on a missing path', JSON_PATCH, '[{"op":"replace","path":"/spec/nope/deeper","value":1}]'],
        ['a JSON patch into __proto__', JSON_PATCH, '[{"op":"add","path":"/__proto__/polluted","value":true}]'],
        ['a failing JSON patch test', JSON_PATCH, '[{"op":"test","path":"/kind","value":"Pod"}]'],
        ['a strategic merge patch', 'application/strategic-merge-patch+json', '{}'], ['an apply patch', 'application/apply-patch+yaml', 'a: 1'],
        ['no content type', '', '{}'],
      ] as [string, string, string][]) {
        add(`PATCH ${plural}/sweep-target${suffix}: ${what}`, 'PATCH', target, type || undefined, body);
      }
    }
    // Verbs a route does not have.
    for (const [method, path] of [['PUT', collection], ['PATCH', collection], ['POST', item], ['POST', `${item}/status`], ['DELETE', `${item}/status`]]) {
      add(`${method} ${path.replace(GROUP_PATH, '')}`, method, path, JSON_TYPE, '{}');
    }
  }
  // The registry's own routes.
  for (const query of ['', 'host=', 'host=a%00b', 'host=Bad_Host!', `host=${'h'.repeat(300)}.com`, 'host=a.com&port=abc', 'host=a.com&port=70000',
    'host=a.com&namespace=Bad_NS', 'host=a.com&resourceVersion=abc', 'host=a.com&includeUnhealthy=maybe', 'host=a.com&explain=maybe', 'host=a.com&nope=1']) {
    add(`resolve ?${query}`, 'GET', `/registry/v1/resolve?${query}`);
  }
  for (const query of ['namespace=Bad_NS', 'namespace=%00', 'nope=1']) add(`analyze ?${query}`, 'GET', `/registry/v1/analyze?${query}`);
  for (const query of ['namespace=Bad_NS', 'kind=Pod', 'labelSelector=a%20in%20(', 'labelSelector=%00', 'nope=1']) add(`export ?${query}`, 'GET', `/registry/v1/export?${query}`);
  for (const [what, ns, name] of [['an invalid namespace', 'Bad_NS', 'x'], ['a NUL name', 'default', 'a%00b'], ['a missing workload', 'default', 'nope']]) {
    add(`manifest with ${what}`, 'GET', `/registry/v1/namespaces/${ns}/workloadentries/${name}/manifest`);
  }
  for (const [what, type, body] of badBodies('WorkloadEntry', aWorkloadEntry('sweep-import'))) {
    if (['malformed JSON', 'a JSON array', 'a JSON string', 'a JSON number', 'malformed YAML', 'no apiVersion', 'no kind', 'another kind', 'another apiVersion', 'metadata as a string', 'a NUL in a spec string', 'a lone surrogate in a label',
      'a __proto__ key', 'a body over the size limit', 'an undefined YAML alias', 'a self-referencing YAML alias', 'two YAML documents', 'a duplicate YAML key'].includes(what)) {
      // Per-document failures: the import answers 422 with a report instead of a Status (checked below).
      continue;
    }
    add(`import: ${what}`, 'POST', '/registry/v1/import', type, body);
  }
  for (const query of ['dryRun=x', 'namespace=Bad_NS', 'nope=1']) add(`import ?${query}`, 'POST', `/registry/v1/import?${query}`, YAML_TYPE, 'a: 1\n');
  // Discovery and OpenAPI.
  for (const path of ['/apis/nope.example.com', '/apis/networking.istio.io/v9', '/apis/networking.istio.io/v1/nopes', '/openapi/v3/apis/nope/v1', '/api/v2', '/nowhere', `/apis/${LONG}`]) {
    add(`GET ${path.slice(0, 60)}`, 'GET', path);
  }
  for (const path of ['/version', '/apis', '/api', '/openapi/v3', '/healthz']) add(`POST ${path}`, 'POST', path, JSON_TYPE, '{}');
  return out;
}

describe('hostile-input sweep over every route', () => {
  let t: TestApp;
  const agent = new Agent({ keepAlive: true });
  const send = (probe: Probe) => {
    const { hostname, port } = new URL(t.url);
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers: Record<string, string> = probe.contentType ? { 'content-type': probe.contentType } : {};
      if (probe.body !== undefined) headers['content-length'] = String(Buffer.byteLength(probe.body));
      const req = httpRequest({ agent, hostname, port, method: probe.method, path: probe.path, headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end(probe.body);
    });
  };
  const snapshot = async () => {
    const lists = await Promise.all(KINDS.map(async ({ plural }) => JSON.parse((await send({ title: '', method: 'GET', path: `${GROUP_PATH}/${plural}` })).body)));
    return lists.map((l) => ({ resourceVersion: l.metadata.resourceVersion, items: l.items }));
  };

  beforeAll(async () => {
    t = await startTestApp({ bodyLimitBytes: 64 * 1024 });
    for (const { plural, make } of KINDS) {
      const body = JSON.stringify(make('sweep-target'));
      const res = await send({ title: '', method: 'POST', path: `${GROUP_PATH}/namespaces/default/${plural}`, contentType: JSON_TYPE, body });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    agent.destroy();
    await t.close();
  });

  const table = probes();

  it('has hundreds of probes', () => {
    expect(table.length).toBeGreaterThan(400);
  });

  it('answers every one with a 4xx Status whose code is the HTTP status, and changes nothing', async () => {
    const before = await snapshot();
    const wrong: string[] = [];
    for (const probe of table) {
      const res = await send(probe);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(res.body);
      } catch {
        // not JSON: reported below
      }
      const isStatus = body.kind === 'Status' && body.apiVersion === 'v1' && body.status === 'Failure' && body.code === res.status &&
        typeof body.reason === 'string' && body.reason !== '' && typeof body.message === 'string';
      if (res.status < 400 || res.status > 499 || !isStatus) wrong.push(`${probe.title}: ${res.status} ${res.body.slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports per-document failures of an import in a 422 report, storing nothing', async () => {
    const before = await snapshot();
    for (const [what, type, body] of badBodies('WorkloadEntry', aWorkloadEntry('sweep-import'))) {
      const res = await send({ title: what, method: 'POST', path: '/registry/v1/import', contentType: type, body });
      expect([what, res.status < 500 && res.status >= 400]).toEqual([what, true]);
      const parsed = JSON.parse(res.body);
      expect([what, parsed.kind === 'Status' || (parsed.kind === 'ImportResult' && parsed.applied === false)]).toEqual([what, true]);
    }
    expect(await snapshot()).toEqual(before);
  });
});
