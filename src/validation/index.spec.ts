import { parseAllDocuments } from 'yaml';
import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { validateServiceEntry, validateWorkloadEntry } from './index';

const meta = { name: 'x', namespace: 'ns' };
const we = (spec: unknown, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: meta, spec, ...extra }) as unknown as WorkloadEntry;
const se = (spec: unknown, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: meta, spec, ...extra }) as unknown as ServiceEntry;

/** The examples of https://istio.io/latest/docs/reference/config/networking/workload-entry/ (namespace added). */
const DOCS_EXAMPLES = `
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: details-svc }
spec:
  serviceAccount: details-legacy
  address: 2.2.2.2
  labels: { app: details-legacy, instance-id: vm1 }
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: details-svc }
spec:
  hosts: [details.bookinfo.com]
  location: MESH_INTERNAL
  ports: [{ number: 80, name: http, protocol: HTTP, targetPort: 8080 }]
  resolution: STATIC
  workloadSelector: { labels: { app: details-legacy } }
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: details-svc }
spec:
  serviceAccount: details-legacy
  address: vm1.vpc01.corp.net
  labels: { app: details-legacy, instance-id: vm1 }
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: details-svc }
spec:
  hosts: [details.bookinfo.com]
  location: MESH_INTERNAL
  ports: [{ number: 80, name: http, protocol: HTTP, targetPort: 8080 }]
  resolution: DNS
  workloadSelector: { labels: { app: details-legacy } }
`;

const docs = parseAllDocuments(DOCS_EXAMPLES).map((d) => d.toJS() as WorkloadEntry & ServiceEntry);
const validate = (o: WorkloadEntry | ServiceEntry) => (o.kind === 'WorkloadEntry' ? validateWorkloadEntry(o as WorkloadEntry) : validateServiceEntry(o as ServiceEntry));

describe('Istio documentation examples', () => {
  it.each(docs.map((d, i) => [`${i}: ${d.kind} ${d.spec.address ?? d.spec.resolution}`, d] as const))('%s is valid', (_, doc) => {
    const obj = { ...doc, metadata: { ...doc.metadata, namespace: 'bookinfo' } };
    expect(validate(obj)).toEqual({ errors: [], warnings: [], unknownFields: [] });
  });

  it('the address-less VM example is valid with its warning', () => {
    const obj = we({ serviceAccount: 'foo', network: 'cluster-2-network', labels: { app: 'foo' } }, { metadata: { name: 'foo-workloads-cluster-2', namespace: 'ns' } });
    expect(validateWorkloadEntry(obj)).toEqual({ errors: [], warnings: ['address is unset with network "cluster-2-network"'], unknownFields: [] });
  });
});

/** istio/istio pkg/config/validation/testdata/crds/*-valid.yaml: both layers must accept these. */
describe('Istio CRD testdata, valid', () => {
  it.each([
    ['full WorkloadEntry', we({ address: '1.2.3.4', serviceAccount: 'sa', network: 'net', labels: { app: 'app' }, ports: { http: 1 }, weight: 2, locality: 'foo/bar/baz' })],
    ['network only', we({ network: 'net' })],
    ['abstract socket', we({ address: 'unix://@foo' })],
    ['socket path', we({ address: 'unix:///foo/bar' })],
    ['FQDN', we({ address: 'example.com' })],
  ])('%s', (_, obj) => expect(validateWorkloadEntry(obj).errors).toEqual([]));

  it.each([
    ['full', { hosts: ['example.com'], workloadSelector: { labels: { foo: 'bar' } }, addresses: ['1.2.3.4', '001:db8::'], exportTo: ['foo', '.'], location: 'MESH_EXTERNAL', ports: [{ name: 'foo', protocol: 'HTTP', number: 1234, targetPort: 2345 }], subjectAltNames: ['sa'], resolution: 'DNS' }],
    ['DNS endpoints', { hosts: ['example.com'], endpoints: [{ address: 'sub.example.com' }], ports: [{ name: 'foo', protocol: 'HTTP', number: 1234, targetPort: 2345 }], resolution: 'DNS' }],
    ['empty selector', { workloadSelector: {}, hosts: ['example.com'] }],
    ['partial wildcard', { hosts: ['*x'] }],
    ['CIDR with NONE', { hosts: ['example.com'], addresses: ['1.1.1.1/32'] }],
  ])('%s', (_, spec) => expect(validateServiceEntry(se(spec)).errors).toEqual([]));
});

/** istio/istio pkg/config/validation/testdata/crds/*-invalid.yaml, with the CRD message each one expects. */
describe('Istio CRD testdata, invalid', () => {
  it.each<[string, WorkloadEntry | ServiceEntry, string]>([
    ['WE without spec', we(undefined), 'Required value'],
    ['WE missing address', we({}), 'address'],
    ['WE UDS dir', we({ address: 'unix:///dir/' }), 'not a directory'],
    ['WE UDS relative', we({ address: 'unix://relative' }), 'must be absolute'],
    ['WE UDS with ports', we({ address: 'unix://@foo', ports: { http: 80 } }), 'must not be set for a unix socket address'],
    ['WE high port', we({ address: '1.1.1.1', ports: { http: 99999 } }), 'must be between 1 and 65535'],
    ['WE bad port name', we({ address: '1.1.1.1', ports: { '@': 80 } }), 'a port name must be a DNS-1123 label'],
    ['SE without spec', se(undefined), 'Required value'],
    ['SE missing hosts', se({}), 'at least one host'],
    ['SE selector wildcard', se({ hosts: ['example.com'], workloadSelector: { labels: { val: '*' } } }), 'wildcards ("*") are not supported'],
    ['SE selector and endpoints', se({ hosts: ['example.com'], workloadSelector: {}, endpoints: [{ address: '1.2.3.4' }] }), 'may not be set together with workloadSelector'],
    ['SE host "*"', se({ hosts: ['*'] }), 'cannot be just "*"'],
    ['SE CIDR with DNS', se({ hosts: ['example.com'], addresses: ['1.2.3.4/16'], resolution: 'DNS' }), 'CIDR blocks are only allowed'],
    ['SE duplicate port name', se({ hosts: ['example.com'], ports: [{ name: 'a', number: 1 }, { name: 'a', number: 12 }] }), 'Duplicate value'],
    ['SE duplicate port number', se({ hosts: ['example.com'], ports: [{ name: 'a', number: 1 }, { name: 'b', number: 1 }] }), 'Duplicate value: 1'],
    ['SE bad port', se({ hosts: ['example.com'], ports: [{ name: 'a', number: 99999 }] }), 'must be between 1 and 65535'],
    ['SE bad targetPort', se({ hosts: ['example.com'], ports: [{ name: 'a', number: 1, targetPort: 99999 }] }), 'must be between 1 and 65535'],
    ['SE NONE with endpoints', se({ hosts: ['example.com'], endpoints: [{ address: '1.2.3.4' }], resolution: 'NONE' }), 'cannot be set when resolution is NONE'],
    ['SE DNS_ROUND_ROBIN endpoints', se({ hosts: ['example.com'], resolution: 'DNS_ROUND_ROBIN', endpoints: [{ address: 'sub1.example.com' }, { address: 'sub2.example.com' }] }), 'uses a single endpoint'],
  ])('%s', (_, obj, words) => {
    const { errors } = validate(obj);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.message).join('\n')).toContain(words);
  });
});
