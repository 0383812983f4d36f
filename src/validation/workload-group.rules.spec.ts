import { WorkloadGroup } from '../kinds/istio-types';
import { validateWorkloadGroup } from './index';

const wg = (spec: unknown, metadata: Record<string, unknown> = {}) =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadGroup', metadata: { name: 'g', namespace: 'ns', ...metadata }, spec }) as unknown as WorkloadGroup;
const causes = (spec: unknown) => validateWorkloadGroup(wg(spec)).errors.map((e) => `${e.reason} ${e.field}: ${e.message}`);
const withProbe = (probe: unknown) => ({ template: {}, probe });

describe('validateWorkloadGroup accepts what istiod accepts', () => {
  it.each<[string, unknown]>([
    ['an empty template (istiod test "valid")', { template: {} }],
    ['template fields other than address', { template: { serviceAccount: 'sa', network: 'n1', locality: 'r/z', weight: 3, ports: { http: 8080, 'grpc-1': 1 } } }],
    ['an explicitly empty address', { template: { address: '' } }],
    ['metadata labels and annotations', { template: {}, metadata: { labels: { app: 'x', 'example.com/tier': '' }, annotations: { 'example.com/owner': 'team a' } } }],
    ['an HTTP probe (istiod "probe http valid")', withProbe({ httpGet: { port: 5 } })],
    ['an HTTPS probe with headers', withProbe({ httpGet: { port: 443, scheme: 'HTTPS', path: '/h', httpHeaders: [{ name: 'X-Lit-1', value: 'v' }] } })],
    ['a TCP probe (istiod "probe tcp valid")', withProbe({ tcpSocket: { port: 5 } })],
    ['an exec probe (istiod "probe exec valid")', withProbe({ exec: { command: ['foo', 'bar'] } })],
    ['zero timings', withProbe({ periodSeconds: 0, initialDelaySeconds: 0, timeoutSeconds: 0, successThreshold: 0, failureThreshold: 0, tcpSocket: { port: 1 } })],
  ])('%s', (_, spec) => expect(causes(spec)).toEqual([]));
});

describe('validateWorkloadGroup rejects, naming the field, each defect once', () => {
  it.each<[string, unknown, string]>([
    ['no template', {}, 'FieldValueRequired spec.template: Required value: a WorkloadGroup needs a template'],
    ['a template address', { template: { address: '1.2.3.4' } }, 'FieldValueForbidden spec.template.address: Forbidden: must be empty in a WorkloadGroup template'],
    ['a template unix address', { template: { address: 'unix://a/' } }, 'FieldValueForbidden spec.template.address: Forbidden: must be empty'],
    ['a template port 0', { template: { ports: { http: 0 } } }, 'FieldValueInvalid spec.template.ports.http: Invalid value: 0: must be between 1 and 65535'],
    ['a template port name', { template: { ports: { web_1: 80 } } }, 'FieldValueInvalid spec.template.ports.web_1: Invalid value: "web_1": a port name must be a DNS-1123 label'],
    ['a template label value', { template: { labels: { app: 'v*' } } }, 'FieldValueInvalid spec.template.labels.app: Invalid value: "v*": a label value must be empty'],
    ['a metadata label key', { template: {}, metadata: { labels: { '.': 'v' } } }, 'FieldValueInvalid spec.metadata.labels..: Invalid value: ".": a label key must be'],
    ['a metadata label value longer than Kubernetes allows', { template: {}, metadata: { labels: { app: 'v'.repeat(64) } } }, 'FieldValueInvalid spec.metadata.labels.app: Invalid value: "vvvv'],
    ['a metadata annotation key', { template: {}, metadata: { annotations: { 'a b': 'x' } } }, 'FieldValueInvalid spec.metadata.annotations: Invalid value: "a b": name part must consist of'],
    ['a probe without a method (istiod "probe missing method")', withProbe({ periodSeconds: 3 }), 'FieldValueRequired spec.probe: Required value: a probe needs exactly one health check method: httpGet, tcpSocket, exec'],
    ['a probe with two methods', withProbe({ httpGet: { port: 1 }, tcpSocket: { port: 1 } }), 'FieldValueInvalid spec.probe: Invalid value: "httpGet, tcpSocket": only one health check method may be set'],
    ['a gRPC probe (istiod knows no grpc method)', withProbe({ grpc: { port: 1 } }), 'FieldValueNotSupported spec.probe.grpc: Unsupported value: "grpc": supported values: "httpGet", "tcpSocket", "exec"'],
    ['an HTTP probe without port (istiod "probe http empty")', withProbe({ httpGet: {} }), 'FieldValueRequired spec.probe.httpGet.port: Required value: port number 0 must be in the range 1..65535'],
    ['an HTTP probe on port 70000', withProbe({ httpGet: { port: 70000 } }), 'FieldValueInvalid spec.probe.httpGet.port: Invalid value: 70000: port number 70000 must be in the range 1..65535'],
    ['an HTTP probe scheme', withProbe({ httpGet: { port: 1, scheme: 'FTP' } }), 'FieldValueNotSupported spec.probe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"'],
    ['an HTTP header name with "_" (the CRD allows it, istiod does not)', withProbe({ httpGet: { port: 1, httpHeaders: [{ name: 'X_A' }] } }), 'FieldValueInvalid spec.probe.httpGet.httpHeaders[0].name: Invalid value: "X_A": header name X_A is not a valid header name'],
    ['an HTTP header name with a space', withProbe({ httpGet: { port: 1, httpHeaders: [{ name: 'X A' }] } }), 'FieldValueInvalid spec.probe.httpGet.httpHeaders[0].name: Invalid value: "X A": header name X A is not a valid header name'],
    ['an HTTP header without name', withProbe({ httpGet: { port: 1, httpHeaders: [{ value: 'v' }] } }), 'FieldValueRequired spec.probe.httpGet.httpHeaders[0].name: Required value: header name cannot be empty'],
    ['a TCP probe without port (istiod "probe tcp invalid")', withProbe({ tcpSocket: {} }), 'FieldValueRequired spec.probe.tcpSocket.port: Required value: port number 0 must be in the range 1..65535'],
    ['an exec probe without command (istiod "probe exec invalid")', withProbe({ exec: {} }), 'FieldValueRequired spec.probe.exec.command: Required value: exec.command is required'],
    ['an exec probe with an empty command', withProbe({ exec: { command: [] } }), 'FieldValueRequired spec.probe.exec.command: Required value: exec.command is required'],
    ['a negative periodSeconds', withProbe({ periodSeconds: -1, tcpSocket: { port: 1 } }), 'FieldValueInvalid spec.probe.periodSeconds: Invalid value: -1: periodSeconds must be non-negative'],
    ['a negative initialDelaySeconds', withProbe({ initialDelaySeconds: -1, tcpSocket: { port: 1 } }), 'FieldValueInvalid spec.probe.initialDelaySeconds: Invalid value: -1: initialDelaySeconds must be non-negative'],
    ['a negative timeoutSeconds', withProbe({ timeoutSeconds: -1, tcpSocket: { port: 1 } }), 'FieldValueInvalid spec.probe.timeoutSeconds: Invalid value: -1: timeoutSeconds must be non-negative'],
    ['a negative successThreshold', withProbe({ successThreshold: -1, tcpSocket: { port: 1 } }), 'FieldValueInvalid spec.probe.successThreshold: Invalid value: -1: successThreshold must be non-negative'],
    ['a negative failureThreshold', withProbe({ failureThreshold: -1, tcpSocket: { port: 1 } }), 'FieldValueInvalid spec.probe.failureThreshold: Invalid value: -1: failureThreshold must be non-negative'],
    ['a timing past int32', withProbe({ periodSeconds: 2 ** 31, tcpSocket: { port: 1 } }), 'FieldValueInvalid spec.probe.periodSeconds: Invalid value: 2147483648: must be at most 2147483647 (an int32)'],
  ])('%s', (_, spec, expected) => expect(causes(spec)).toEqual([expect.stringContaining(expected)]));
});

describe('validateWorkloadGroup, the rest of the object', () => {
  it('reports both halves of a bad label (istiod test "invalid")', () => {
    expect(causes({ template: {}, metadata: { labels: { '.': '~' } } })).toEqual([
      expect.stringContaining('spec.metadata.labels..: Invalid value: ".": a label key must be'),
      expect.stringContaining('spec.metadata.labels..: Invalid value: "~": a label value must be empty'),
    ]);
  });

  it('reports every defect at once, in spec and metadata', () => {
    const result = validateWorkloadGroup(wg({ template: { address: '1.1.1.1', ports: { http: 0 } }, probe: { periodSeconds: -2, httpGet: { port: 0 } } }, { labels: { 'a b': 'x' } }));
    expect(result.errors.map((e) => e.field)).toEqual([
      'metadata.labels', 'spec.template.address', 'spec.template.ports.http', 'spec.probe.periodSeconds', 'spec.probe.httpGet.port',
    ]);
  });

  it('warns, as Istio documents, against labels in the template', () => {
    expect(validateWorkloadGroup(wg({ template: { labels: { app: 'x' } } })).warnings).toEqual([
      expect.stringContaining('labels should not be set in the template; set them in spec.metadata.labels'),
    ]);
  });

  it('type errors stop istiod from decoding, so only the schema speaks', () => {
    expect(causes({ template: { weight: 'heavy' } })).toEqual([
      'FieldValueTypeInvalid spec.template.weight: Invalid value: "heavy": spec.template.weight in body must be of type integer: "string"',
      expect.stringContaining('some validation rules were not checked'),
    ]);
  });

  it('reports unknown fields for pruning or Strict', () => {
    expect(validateWorkloadGroup(wg({ template: {}, colour: 'red', probe: { tcpSocket: { port: 1, extra: 1 } } })).unknownFields).toEqual([
      'spec.colour', 'spec.probe.tcpSocket.extra',
    ]);
  });

  it('a spec that is not an object is a type error', () => {
    expect(causes('nope')).toEqual([
      expect.stringContaining('FieldValueTypeInvalid spec: Invalid value: "nope": spec in body must be of type object'),
      expect.stringContaining('some validation rules were not checked'),
    ]);
  });
});
