/**
 * Every WorkloadGroup rule through the HTTP API: the CRD schema (types, lengths, the probe's oneOf, CEL)
 * and istiod's ValidateWorkloadGroup (template without address, metadata labels, probe methods and
 * numbers), each rejected with its exact cause and nothing stored, all causes of one body at once.
 */
import request from 'supertest';
import { aWorkloadGroup, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { asSent, expectCreated, ExpectedCause, expectInvalid, manyEntries, namespaces, Spec } from './rule-helpers';

const NAME = 'fleet';
const probe = (p: Record<string, unknown>) => ({ probe: p });

describe('WorkloadGroup rules over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const nextNamespace = namespaces('wg');

  async function create(spec: Spec) {
    const namespace = nextNamespace();
    const body = aWorkloadGroup(NAME, spec);
    const res = await request(t.url).post(paths.workloadGroups(namespace)).send(body);
    return { res, namespace, body };
  }

  it.each<[string, Spec, string[]]>([
    ['the factory group (HTTP probe)', {}, []],
    ['a TCP probe', probe({ tcpSocket: { port: 22 } }), []],
    ['an exec probe', probe({ exec: { command: ['/bin/check', '--quick'] } }), []],
    ['no probe', { probe: undefined }, []],
    ['256 metadata labels', { metadata: { labels: manyEntries(256, () => 'v') } }, []],
    ['a template with network, locality and weight', { template: { serviceAccount: 'sa', network: 'n1', locality: 'us-east/a', weight: 10 } }, []],
    ['template labels, with Istio’s advice', { template: { labels: { app: 'x' } } }, ['spec.template.labels: Istio documents that labels should not be set in the template; set them in spec.metadata.labels']],
  ])('accepts %s', async (_title, spec, warnings) => {
    const { res, namespace, body } = await create(spec);
    expectCreated(res, warnings);
    const stored = await request(t.url).get(paths.workloadGroup(NAME, namespace)).expect(200);
    expect(stored.body.spec).toEqual(asSent(body).spec);
  });

  it.each<[string, Spec, ExpectedCause]>([
    ['no template', { template: undefined }, { reason: 'FieldValueRequired', field: 'spec.template', words: 'a WorkloadGroup needs a template' }],
    ['a template address', { template: { address: '10.0.0.1' } }, { reason: 'FieldValueForbidden', field: 'spec.template.address', words: 'must be empty in a WorkloadGroup template' }],
    ['a template port out of range', { template: { ports: { http: 70000 } } }, { reason: 'FieldValueInvalid', field: 'spec.template.ports.http', words: 'must be between 1 and 65535' }],
    ['a 254-character template serviceAccount', { template: { serviceAccount: 's'.repeat(254) } }, { reason: 'FieldValueTooLong', field: 'spec.template.serviceAccount', words: 'may not be more than 253 bytes' }],
    ['257 metadata labels', { metadata: { labels: manyEntries(257, () => 'v') } }, { reason: 'FieldValueTooMany', field: 'spec.metadata.labels', words: 'must have at most 256 items' }],
    ['a bad metadata label', { metadata: { labels: { 'bad key': 'v' } } }, { reason: 'FieldValueInvalid', field: 'spec.metadata.labels.bad key', words: 'a label key must be' }],
    ['a probe with no method', probe({ periodSeconds: 5 }), { reason: 'FieldValueRequired', field: 'spec.probe', words: 'exactly one health check method' }],
    ['a probe with two methods', probe({ tcpSocket: { port: 1 }, exec: { command: ['x'] } }), { reason: 'FieldValueInvalid', field: 'spec.probe', words: 'only one health check method may be set' }],
    ['a gRPC probe', probe({ grpc: { port: 9000 } }), { reason: 'FieldValueNotSupported', field: 'spec.probe.grpc', words: 'supported values: "httpGet", "tcpSocket", "exec"' }],
    ['an HTTP probe without port', probe({ httpGet: { path: '/h' } }), { reason: 'FieldValueRequired', field: 'spec.probe.httpGet.port', words: 'port number 0 must be in the range 1..65535' }],
    ['an HTTP probe on port 0', probe({ httpGet: { port: 0 } }), { reason: 'FieldValueInvalid', field: 'spec.probe.httpGet.port', words: 'port number 0 must be in the range 1..65535' }],
    ['an FTP scheme', probe({ httpGet: { port: 80, scheme: 'FTP' } }), { reason: 'FieldValueNotSupported', field: 'spec.probe.httpGet.scheme', words: 'supported values: "HTTP", "HTTPS"' }],
    ['a header name istiod refuses', probe({ httpGet: { port: 80, httpHeaders: [{ name: 'X_Y', value: 'v' }] } }), { reason: 'FieldValueInvalid', field: 'spec.probe.httpGet.httpHeaders[0].name', words: 'is not a valid header name' }],
    ['a header name the CRD refuses', probe({ httpGet: { port: 80, httpHeaders: [{ name: 'X Y', value: 'v' }] } }), { reason: 'FieldValueInvalid', field: 'spec.probe.httpGet.httpHeaders[0].name', words: 'is not a valid header name' }],
    ['a TCP probe on port 65536', probe({ tcpSocket: { port: 65536 } }), { reason: 'FieldValueInvalid', field: 'spec.probe.tcpSocket.port', words: 'port number 65536 must be in the range 1..65535' }],
    ['an exec probe without command', probe({ exec: { command: [] } }), { reason: 'FieldValueRequired', field: 'spec.probe.exec.command', words: 'exec.command is required' }],
    ['an empty command word', probe({ exec: { command: [''] } }), { reason: 'FieldValueInvalid', field: 'spec.probe.exec.command[0]', words: 'should be at least 1 chars long' }],
    ['a negative timeoutSeconds', probe({ timeoutSeconds: -1, tcpSocket: { port: 1 } }), { reason: 'FieldValueInvalid', field: 'spec.probe.timeoutSeconds', words: 'timeoutSeconds must be non-negative' }],
    ['a string periodSeconds', probe({ periodSeconds: 'often', tcpSocket: { port: 1 } }), { reason: 'FieldValueTypeInvalid', field: 'spec.probe.periodSeconds', words: 'must be of type integer: "string"' }],
  ])('rejects %s', async (_title, spec, cause) => {
    const { res, namespace } = await create(spec);
    const causes = expectInvalid(res, cause, NAME);
    // One defect, one cause: where the CRD and istiod both see it, istiod's wording stands alone.
    expect(causes.filter((c) => c.field === cause.field)).toHaveLength(1);
    await request(t.url).get(paths.workloadGroup(NAME, namespace)).expect(404);
  });

  it('reports every cause of one body at once', async () => {
    const { res } = await create({ template: { address: '1.1.1.1', ports: { http: 0 } }, probe: { failureThreshold: -1, httpGet: { port: 99999, scheme: 'ftp' } } });
    const causes = expectInvalid(res, [], NAME);
    expect(causes.map((c) => c.field)).toEqual([
      'spec.template.address', 'spec.template.ports.http', 'spec.probe.failureThreshold', 'spec.probe.httpGet.port', 'spec.probe.httpGet.scheme',
    ]);
  });
});
