/**
 * The cross-object analyzers (MR0001–MR0007) through the HTTP API: for each code, triggering cases and
 * near misses, checked three ways: the Warning header on the write that completes the picture, GET
 * /registry/v1/analyze?namespace=<each namespace involved>, and GET /registry/v1/analyze for the whole
 * registry. The write's warnings must be exactly the registry findings involving the written object.
 *
 * Every row has namespaces, addresses and hosts of its own, since MR0006 (addresses) and MR0007 (hosts)
 * look across namespaces.
 */
import request from 'supertest';
import { aServiceEntry, aWorkloadEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { analyzerWarningsOf, JSON_PATCH, MERGE_PATCH, Meta, Spec } from '../validation/rule-helpers';

const ANALYZE = '/registry/v1/analyze';

interface FindingObject { kind: string; namespace: string; name: string; field?: string }
interface Finding { code: string; name: string; severity: string; message: string; objects: FindingObject[]; field?: string }

interface Obj {
  kind: 'WorkloadEntry' | 'ServiceEntry';
  namespace: string;
  name: string;
  spec: Spec;
  labels?: Meta;
}

interface Row {
  title: string;
  code: string;
  fires: boolean;
  /** Written first. */
  others: Obj[];
  /** Written last; its write must (or must not) carry the code as a Warning. */
  subject: Obj;
  /** The exact warning text, for triggering rows. */
  warning?: string;
  /** Field of the subject the finding names. */
  field?: string;
  /** Other namespaces whose scoped analysis must show the finding too. */
  alsoIn?: string[];
}

const RULES: Record<string, { name: string; severity: string }> = {
  MR0001: { name: 'ServiceEntrySelectsNothing', severity: 'Warning' },
  MR0002: { name: 'WorkloadEntryNotSelected', severity: 'Info' },
  MR0003: { name: 'DnsOnlyWorkloadNeverUsed', severity: 'Warning' },
  MR0004: { name: 'SelectorIgnoredWithResolutionNone', severity: 'Warning' },
  MR0005: { name: 'UnknownWorkloadPortName', severity: 'Warning' },
  MR0006: { name: 'DuplicateWorkloadAddress', severity: 'Warning' },
  MR0007: { name: 'ConflictingPortProtocols', severity: 'Error' },
};

let ipCount = 0;
/** A registry-wide unique IPv4 address, so MR0006 only fires where a row wants it. */
const uniqueIp = () => `10.${100 + Math.floor(++ipCount / 250)}.${ipCount % 250}.1`;
let fqdnCount = 0;
/** A registry-wide unique FQDN address (MR0006 compares those too). */
const uniqueFqdn = () => `vm${++fqdnCount}.corp.example`;
let hostCount = 0;
/** A registry-wide unique host, so MR0007 only fires where a row wants it. */
const uniqueHost = () => `h${++hostCount}.analyze.example.com`;

const HTTP_PORT = { number: 80, name: 'http', protocol: 'HTTP' };

/** A WorkloadEntry with spec labels app=<app> and an address of its own. */
const we = (namespace: string, name: string, app: string, spec: Spec = {}, labels?: Meta): Obj => ({
  kind: 'WorkloadEntry', namespace, name, spec: { address: uniqueIp(), labels: { app }, ...spec }, ...(labels ? { labels } : {}),
});
/** A STATIC ServiceEntry on port 80/http selecting app=<app> (no selector when app is undefined). */
const se = (namespace: string, name: string, app: string | undefined, spec: Spec = {}): Obj => ({
  kind: 'ServiceEntry', namespace, name,
  spec: { hosts: [uniqueHost()], resolution: 'STATIC', ports: [HTTP_PORT], workloadSelector: app ? { labels: { app } } : undefined, ...spec },
});
/** A DNS ServiceEntry for `host` with one port 80 of `protocol`, no selector (for MR0007). */
const svc = (namespace: string, name: string, host: string, protocol: string | undefined, spec: Spec = {}): Obj => ({
  kind: 'ServiceEntry', namespace, name,
  spec: { hosts: [host], resolution: 'DNS', ports: [{ number: 80, name: 'p', ...(protocol ? { protocol } : {}) }], workloadSelector: undefined, ...spec },
});

let caseCount = 0;
/** Namespaces of one row: `<code>-<n>` and `<code>-<n>-b`. */
function spaces(code: string): [string, string] {
  const ns = `${code.toLowerCase()}-${++caseCount}`;
  return [ns, `${ns}-b`];
}

/** A row built from its two namespaces and an FQDN address of its own. */
function row(title: string, code: string, fires: boolean, build: (a: string, b: string, fqdn: string) => Omit<Row, 'title' | 'code' | 'fires'>): Row {
  const [a, b] = spaces(code);
  return { title, code, fires, ...build(a, b, uniqueFqdn()) };
}

const MR0003_TAIL = 'is never used: only ServiceEntries with resolution DNS or DNS_ROUND_ROBIN use FQDN and unix:// addresses, and its labels match only the workloadSelector of';

const rows: Row[] = [
  // MR0001 ServiceEntrySelectsNothing
  row('a selector matching no WorkloadEntry', 'MR0001', true, (a) => ({
    others: [], subject: se(a, 'svc', 'nobody'), field: 'spec.workloadSelector',
    warning: `MR0001 ServiceEntrySelectsNothing: ServiceEntry ${a}/svc spec.workloadSelector selects no WorkloadEntry in namespace ${a}`,
  })),
  row('a selector matching an entry of another namespace only', 'MR0001', true, (a, b) => ({
    others: [we(b, 'vm', 'web')], subject: se(a, 'svc', 'web'), field: 'spec.workloadSelector',
    warning: `MR0001 ServiceEntrySelectsNothing: ServiceEntry ${a}/svc spec.workloadSelector selects no WorkloadEntry in namespace ${a}`,
  })),
  row('a selector without labels', 'MR0001', true, (a) => ({
    others: [we(a, 'vm', 'web')], subject: se(a, 'svc', undefined, { workloadSelector: {} }), field: 'spec.workloadSelector',
    warning: `MR0001 ServiceEntrySelectsNothing: ServiceEntry ${a}/svc spec.workloadSelector has no labels and selects no WorkloadEntry in namespace ${a}`,
  })),
  row('a STATIC selector matching only an FQDN entry', 'MR0001', true, (a, _b, fqdn) => ({
    others: [we(a, 'vm', 'web', { address: fqdn })], subject: se(a, 'svc', 'web'), field: 'spec.workloadSelector',
    warning: `MR0001 ServiceEntrySelectsNothing: ServiceEntry ${a}/svc spec.workloadSelector selects no WorkloadEntry in namespace ${a}`,
  })),
  row('near miss: the selector picks an IP entry', 'MR0001', false, (a) => ({ others: [we(a, 'vm', 'web')], subject: se(a, 'svc', 'web') })),
  row('near miss: a DNS selector picks the FQDN entry', 'MR0001', false, (a, _b, fqdn) => ({
    others: [we(a, 'vm', 'web', { address: fqdn })], subject: se(a, 'svc', 'web', { resolution: 'DNS' }),
  })),
  row('near miss: no workloadSelector at all', 'MR0001', false, (a) => ({ others: [], subject: se(a, 'svc', undefined) })),

  // MR0002 WorkloadEntryNotSelected
  row('no ServiceEntry at all', 'MR0002', true, (a) => ({
    others: [], subject: we(a, 'vm', 'db'), field: 'spec.labels',
    warning: `MR0002 WorkloadEntryNotSelected: WorkloadEntry ${a}/vm is selected by no ServiceEntry in namespace ${a} (labels: app=db)`,
  })),
  row('labels matching no selector', 'MR0002', true, (a) => ({
    others: [se(a, 'svc', 'web')], subject: we(a, 'vm', 'db', { labels: { app: 'db', tier: 'data' } }), field: 'spec.labels',
    warning: `MR0002 WorkloadEntryNotSelected: WorkloadEntry ${a}/vm is selected by no ServiceEntry in namespace ${a} (labels: app=db, tier=data)`,
  })),
  row('only a ServiceEntry of another namespace matches', 'MR0002', true, (a, b) => ({
    others: [se(b, 'svc', 'web')], subject: we(a, 'vm', 'web'), field: 'spec.labels',
    warning: `MR0002 WorkloadEntryNotSelected: WorkloadEntry ${a}/vm is selected by no ServiceEntry in namespace ${a} (labels: app=web)`,
  })),
  row('an entry without labels', 'MR0002', true, (a) => ({
    others: [se(a, 'svc', 'web')], subject: we(a, 'vm', 'x', { labels: undefined }), field: 'spec.labels',
    warning: `MR0002 WorkloadEntryNotSelected: WorkloadEntry ${a}/vm is selected by no ServiceEntry in namespace ${a} (it has no labels)`,
  })),
  row('near miss: selected by a STATIC ServiceEntry', 'MR0002', false, (a) => ({ others: [se(a, 'svc', 'web')], subject: we(a, 'vm', 'web') })),
  row('near miss: selected through metadata labels (they win over spec labels)', 'MR0002', false, (a) => ({
    others: [se(a, 'svc', 'web')], subject: we(a, 'vm', 'db', {}, { app: 'web' }),
  })),
  row('near miss: selected by resolution NONE (MR0004 reports the ServiceEntry)', 'MR0002', false, (a) => ({
    others: [se(a, 'svc', 'web', { resolution: 'NONE' })], subject: we(a, 'vm', 'web'),
  })),

  // MR0003 DnsOnlyWorkloadNeverUsed
  row('an FQDN entry matched only by a STATIC selector', 'MR0003', true, (a, _b, fqdn) => ({
    others: [se(a, 'svc', 'web')], subject: we(a, 'vm', 'web', { address: fqdn }), field: 'spec.address',
    warning: `MR0003 DnsOnlyWorkloadNeverUsed: WorkloadEntry ${a}/vm spec.address ${fqdn} ${MR0003_TAIL} ${a}/svc (STATIC)`,
  })),
  row('a unix:// entry matched only by an unset (NONE) resolution', 'MR0003', true, (a) => ({
    others: [se(a, 'svc', 'web', { resolution: undefined })], subject: we(a, 'vm', 'web', { address: 'unix:///var/run/app.sock' }), field: 'spec.address',
    warning: `MR0003 DnsOnlyWorkloadNeverUsed: WorkloadEntry ${a}/vm spec.address unix:///var/run/app.sock ${MR0003_TAIL} ${a}/svc (NONE)`,
  })),
  row('reported on the write of the STATIC ServiceEntry too', 'MR0003', true, (a, _b, fqdn) => ({
    others: [we(a, 'vm', 'web', { address: fqdn })], subject: se(a, 'svc', 'web'), field: 'spec.workloadSelector',
    warning: `MR0003 DnsOnlyWorkloadNeverUsed: WorkloadEntry ${a}/vm spec.address ${fqdn} ${MR0003_TAIL} ${a}/svc (STATIC)`,
  })),
  row('near miss: a DNS ServiceEntry selects it as well', 'MR0003', false, (a, _b, fqdn) => ({
    others: [se(a, 'svc', 'web'), se(a, 'dns', 'web', { resolution: 'DNS' })], subject: we(a, 'vm', 'web', { address: fqdn }),
  })),
  row('near miss: DNS_ROUND_ROBIN selects it', 'MR0003', false, (a, _b, fqdn) => ({
    others: [se(a, 'svc', 'web', { resolution: 'DNS_ROUND_ROBIN' })], subject: we(a, 'vm', 'web', { address: fqdn }),
  })),
  row('near miss: an IP entry matched by STATIC', 'MR0003', false, (a) => ({ others: [se(a, 'svc', 'web')], subject: we(a, 'vm', 'web') })),
  row('near miss: the STATIC ServiceEntry is in another namespace', 'MR0003', false, (a, b, fqdn) => ({
    others: [se(b, 'svc', 'web')], subject: we(a, 'vm', 'web', { address: fqdn }),
  })),

  // MR0004 SelectorIgnoredWithResolutionNone
  row('resolution NONE with a selector', 'MR0004', true, (a) => ({
    others: [], subject: se(a, 'svc', 'web', { resolution: 'NONE' }), field: 'spec.workloadSelector',
    warning: `MR0004 SelectorIgnoredWithResolutionNone: ServiceEntry ${a}/svc spec.workloadSelector is ignored: with resolution NONE traffic goes to the original destination address, never to the selected WorkloadEntries`,
  })),
  row('resolution unset (NONE) with a selector that selects', 'MR0004', true, (a) => ({
    others: [we(a, 'vm', 'web')], subject: se(a, 'svc', 'web', { resolution: undefined }), field: 'spec.workloadSelector',
    warning: `MR0004 SelectorIgnoredWithResolutionNone: ServiceEntry ${a}/svc spec.workloadSelector is ignored: with resolution unset (NONE) traffic goes to the original destination address, never to the selected WorkloadEntries`,
  })),
  row('near miss: NONE without a selector', 'MR0004', false, (a) => ({ others: [], subject: se(a, 'svc', undefined, { resolution: 'NONE' }) })),
  row('near miss: STATIC with a selector', 'MR0004', false, (a) => ({ others: [we(a, 'vm', 'web')], subject: se(a, 'svc', 'web') })),

  // MR0005 UnknownWorkloadPortName
  row('a ports key naming no port of the selecting ServiceEntry', 'MR0005', true, (a) => ({
    others: [se(a, 'svc', 'web')], subject: we(a, 'vm', 'web', { ports: { htp: 8080 } }), field: 'spec.ports.htp',
    warning: `MR0005 UnknownWorkloadPortName: WorkloadEntry ${a}/vm spec.ports.htp is ignored: no ServiceEntry selecting it declares a port named htp (${a}/svc declares http)`,
  })),
  row('ports keys are case-sensitive', 'MR0005', true, (a) => ({
    others: [se(a, 'svc', 'web')], subject: we(a, 'vm', 'web', { ports: { HTTP: 8080 } }), field: 'spec.ports.HTTP',
    warning: `MR0005 UnknownWorkloadPortName: WorkloadEntry ${a}/vm spec.ports.HTTP is ignored: no ServiceEntry selecting it declares a port named HTTP (${a}/svc declares http)`,
  })),
  row('reported on the write of the selecting ServiceEntry too', 'MR0005', true, (a) => ({
    others: [we(a, 'vm', 'web', { ports: { htp: 8080 } })], subject: se(a, 'svc', 'web'), field: 'spec.ports',
    warning: `MR0005 UnknownWorkloadPortName: WorkloadEntry ${a}/vm spec.ports.htp is ignored: no ServiceEntry selecting it declares a port named htp (${a}/svc declares http)`,
  })),
  row('near miss: the key names the port', 'MR0005', false, (a) => ({ others: [se(a, 'svc', 'web')], subject: we(a, 'vm', 'web', { ports: { http: 8080 } }) })),
  row('near miss: the key names a port of another selecting ServiceEntry', 'MR0005', false, (a) => ({
    others: [se(a, 'svc', 'web'), se(a, 'metrics', 'web', { ports: [{ number: 9090, name: 'metrics', protocol: 'HTTP' }] })],
    subject: we(a, 'vm', 'web', { ports: { http: 8080, metrics: 9090 } }),
  })),
  row('near miss: an unknown key on an entry nothing selects (MR0002 covers it)', 'MR0005', false, (a) => ({
    others: [se(a, 'svc', 'db')], subject: we(a, 'vm', 'web', { ports: { htp: 8080 } }),
  })),
];

/** MR0006 and MR0007 rows need shared addresses and hosts, so they are built with explicit values. */
function duplicateAddressRows(): Row[] {
  const at = (namespace: string, name: string, address: string, network?: string) => we(namespace, name, 'x', { address, ...(network ? { network } : {}) });
  return [
    row('the same IP without network, across namespaces', 'MR0006', true, (a, b) => {
      const ip = uniqueIp();
      return {
        others: [at(b, 'other', ip)], subject: at(a, 'vm', ip), field: 'spec.address', alsoIn: [b],
        warning: `MR0006 DuplicateWorkloadAddress: WorkloadEntries ${a}/vm, ${b}/other share spec.address ${ip} with no spec.network set`,
      };
    }),
    row('the same IP on the same network', 'MR0006', true, (a, b) => {
      const ip = uniqueIp();
      return {
        others: [at(b, 'other', ip, 'n1')], subject: at(a, 'vm', ip, 'n1'), field: 'spec.address', alsoIn: [b],
        warning: `MR0006 DuplicateWorkloadAddress: WorkloadEntries ${a}/vm, ${b}/other share spec.address ${ip} on network n1`,
      };
    }),
    row('three entries in one namespace form one group', 'MR0006', true, (a) => {
      const ip = uniqueIp();
      return {
        others: [at(a, 'vm-2', ip), at(a, 'vm-3', ip)], subject: at(a, 'vm-1', ip), field: 'spec.address',
        warning: `MR0006 DuplicateWorkloadAddress: WorkloadEntries ${a}/vm-1, ${a}/vm-2, ${a}/vm-3 share spec.address ${ip} with no spec.network set`,
      };
    }),
    row('an IPv6 address spelled differently', 'MR0006', true, (a, b) => ({
      others: [at(b, 'other', '2001:db8::a6')], subject: at(a, 'vm', '2001:DB8:0:0::A6'), field: 'spec.address', alsoIn: [b],
    })),
    row('an FQDN differing in case and trailing dot', 'MR0006', true, (a, b) => ({
      others: [at(b, 'other', 'dup.corp.example.')], subject: at(a, 'vm', 'DUP.corp.example'), field: 'spec.address', alsoIn: [b],
    })),
    row('near miss: different addresses', 'MR0006', false, (a, b) => ({ others: [at(b, 'other', uniqueIp())], subject: at(a, 'vm', uniqueIp()) })),
    row('near miss: the same IP on different networks', 'MR0006', false, (a, b) => {
      const ip = uniqueIp();
      return { others: [at(b, 'other', ip, 'n1')], subject: at(a, 'vm', ip, 'n2') };
    }),
    row('near miss: the same IP with a network on one only', 'MR0006', false, (a, b) => {
      const ip = uniqueIp();
      return { others: [at(b, 'other', ip)], subject: at(a, 'vm', ip, 'n1') };
    }),
    row('near miss: the same unix socket path (local to each VM)', 'MR0006', false, (a, b) => ({
      others: [at(b, 'other', 'unix:///run/dup.sock')], subject: at(a, 'vm', 'unix:///run/dup.sock'),
    })),
  ];
}

function protocolConflictRows(): Row[] {
  const conflict = (a: string, b: string, host: string, pa: string, pb: string, seenBy: string) =>
    `MR0007 ConflictingPortProtocols: ServiceEntries ${a}/one and ${b}/two both declare host ${host} port 80 with different protocols: ` +
    `${pa} (${a}/one spec.ports[0].protocol) and ${pb} (${b}/two spec.ports[0].protocol); clients in ${seenBy} see both`;
  return [
    row('HTTP and TCP, both exported everywhere', 'MR0007', true, (a, b) => {
      const host = uniqueHost();
      return {
        others: [svc(b, 'two', host, 'TCP')], subject: svc(a, 'one', host, 'HTTP'), field: 'spec.ports[0].protocol', alsoIn: [b],
        warning: conflict(a, b, host, 'HTTP', 'TCP', 'every namespace'),
      };
    }),
    row('an unset protocol is a protocol of its own', 'MR0007', true, (a, b) => {
      const host = uniqueHost();
      return {
        others: [svc(b, 'two', host, undefined, { addresses: ['240.0.0.1'] })], subject: svc(a, 'one', host, 'HTTP'), field: 'spec.ports[0].protocol', alsoIn: [b],
        warning: conflict(a, b, host, 'HTTP', 'unset', 'every namespace'),
      };
    }),
    row('hosts compared case-insensitively', 'MR0007', true, (a, b) => {
      const host = uniqueHost();
      return { others: [svc(b, 'two', host.toUpperCase(), 'TCP')], subject: svc(a, 'one', host, 'HTTP'), field: 'spec.ports[0].protocol', alsoIn: [b] };
    }),
    row('"." of one is in the exportTo list of the other', 'MR0007', true, (a, b) => {
      const host = uniqueHost();
      return {
        others: [svc(b, 'two', host, 'GRPC', { exportTo: [a] })], subject: svc(a, 'one', host, 'HTTP', { exportTo: ['.'] }), field: 'spec.ports[0].protocol', alsoIn: [b],
        warning: conflict(a, b, host, 'HTTP', 'GRPC', `namespace ${a}`),
      };
    }),
    row('near miss: the protocols differ only in case', 'MR0007', false, (a, b) => {
      const host = uniqueHost();
      return { others: [svc(b, 'two', host, 'http')], subject: svc(a, 'one', host, 'HTTP') };
    }),
    row('near miss: different port numbers', 'MR0007', false, (a, b) => {
      const host = uniqueHost();
      return { others: [svc(b, 'two', host, 'TCP', { ports: [{ number: 81, name: 'p', protocol: 'TCP' }] })], subject: svc(a, 'one', host, 'HTTP') };
    }),
    row('near miss: one is exported to no namespace ("~")', 'MR0007', false, (a, b) => {
      const host = uniqueHost();
      return { others: [svc(b, 'two', host, 'TCP', { exportTo: ['~'] })], subject: svc(a, 'one', host, 'HTTP') };
    }),
    row('near miss: each exported to its own namespace only', 'MR0007', false, (a, b) => {
      const host = uniqueHost();
      return { others: [svc(b, 'two', host, 'TCP', { exportTo: ['.'] })], subject: svc(a, 'one', host, 'HTTP', { exportTo: ['.'] }) };
    }),
    row('near miss: a wildcard host is not the same host', 'MR0007', false, (a, b) => {
      const host = uniqueHost();
      return { others: [svc(b, 'two', `*.${host}`, 'TCP', { endpoints: [{ address: 'lb.corp.example' }] })], subject: svc(a, 'one', `x.${host}`, 'HTTP') };
    }),
  ];
}

const allRows = [...rows, ...duplicateAddressRows(), ...protocolConflictRows()];

const bodyOf = (o: Obj) =>
  o.kind === 'WorkloadEntry' ? aWorkloadEntry(o.name, o.spec, o.labels ? { labels: o.labels } : {}) : aServiceEntry(o.name, o.spec, o.labels ? { labels: o.labels } : {});
const collectionOf = (o: Obj) => (o.kind === 'WorkloadEntry' ? paths.workloadEntries(o.namespace) : paths.serviceEntries(o.namespace));
const itemOf = (o: Obj) => (o.kind === 'WorkloadEntry' ? paths.workloadEntry(o.name, o.namespace) : paths.serviceEntry(o.name, o.namespace));
const involves = (f: Finding, o: Obj | FindingObject) => f.objects.some((x) => x.kind === o.kind && x.namespace === o.namespace && x.name === o.name);
const asWarning = (f: Finding) => `${f.code} ${f.name}: ${f.message}`;

describe('cross-object analyzers over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function analyze(namespace?: string): Promise<{ resourceVersion: string; findings: Finding[] }> {
    const res = await request(t.url).get(ANALYZE).query(namespace ? { namespace } : {}).expect(200);
    return res.body;
  }

  const write = (o: Obj) => request(t.url).post(collectionOf(o)).send(bodyOf(o));

  describe.each(Object.keys(RULES))('%s', (code) => {
    it.each(allRows.filter((r) => r.code === code).map((r) => [r.title, r] as const))('%s', async (_title, r) => {
      for (const other of r.others) await write(other).expect(201);
      await analyze(); // catches this replica's index up with the writes above
      const res = await write(r.subject);
      expect(res.status).toBe(201);
      const warnings = analyzerWarningsOf(res);
      const codes = warnings.map((w) => w.split(' ')[0]);

      // The Warning header on the write.
      expect({ code, fires: codes.includes(code), warnings }).toMatchObject({ code, fires: r.fires });
      if (r.warning) expect(warnings).toContain(r.warning);

      // The whole registry, and the namespace of the subject.
      const all = (await analyze()).findings;
      const scoped = (await analyze(r.subject.namespace)).findings;
      expect(scoped).toEqual(all.filter((f) => f.objects.some((o) => o.namespace === r.subject.namespace)));
      const mine = all.filter((f) => involves(f, r.subject));
      expect(mine.some((f) => f.code === code)).toBe(r.fires);
      // The write saw exactly what the registry sees about the written object.
      expect(warnings).toEqual(mine.map(asWarning));

      if (!r.fires) return;
      const found = mine.filter((f) => f.code === code);
      for (const f of found) {
        expect(f).toMatchObject({ code, ...RULES[code] });
        expect(f.field).toBe(f.objects[0].field);
        const subjectRef = f.objects.find((o) => involves({ ...f, objects: [o] }, r.subject));
        expect(subjectRef?.field).toBe(r.field);
      }
      if (r.warning) expect(found.map(asWarning)).toContain(r.warning);
      for (const namespace of r.alsoIn ?? []) {
        expect((await analyze(namespace)).findings.filter((f) => f.code === code && involves(f, r.subject))).toEqual(found);
      }
      expect((await analyze(`${r.subject.namespace}-nowhere`)).findings).toEqual([]);
    });
  });

  describe('warnings on updates', () => {
    it('PUT: an entry that becomes selected loses MR0002 and, with a bad ports key, gains MR0005', async () => {
      const [a] = spaces('upd');
      const vm = we(a, 'vm', 'db');
      expect(analyzerWarningsOf(await write(vm).expect(201)).map((w) => w.split(' ')[0])).toEqual(['MR0002']);
      await write(se(a, 'svc', 'web')).expect(201);
      await analyze();
      const res = await request(t.url).put(itemOf(vm)).send(bodyOf({ ...vm, spec: { ...vm.spec, labels: { app: 'web' }, ports: { htp: 1 } } })).expect(200);
      expect(analyzerWarningsOf(res)).toEqual([
        `MR0005 UnknownWorkloadPortName: WorkloadEntry ${a}/vm spec.ports.htp is ignored: no ServiceEntry selecting it declares a port named htp (${a}/svc declares http)`,
      ]);
      expect((await analyze(a)).findings.map((f) => f.code)).toEqual(['MR0005']);
    });

    it('merge PATCH: fixing the ports key clears the warning', async () => {
      const [a] = spaces('upd');
      await write(se(a, 'svc', 'web')).expect(201);
      await analyze();
      const vm = we(a, 'vm', 'web', { ports: { htp: 1 } });
      expect(analyzerWarningsOf(await write(vm).expect(201)).map((w) => w.split(' ')[0])).toEqual(['MR0005']);
      const res = await request(t.url).patch(itemOf(vm)).set('content-type', MERGE_PATCH).send(JSON.stringify({ spec: { ports: { htp: null, http: 8080 } } })).expect(200);
      expect(analyzerWarningsOf(res)).toEqual([]);
      expect((await analyze(a)).findings).toEqual([]);
    });

    it('JSON PATCH: moving onto a used address raises MR0006 on the patched entry', async () => {
      const [a, b] = spaces('upd');
      const taken = we(b, 'taken', 'x');
      await write(taken).expect(201);
      const vm = we(a, 'vm', 'x');
      await write(vm).expect(201);
      await analyze();
      const res = await request(t.url).patch(itemOf(vm)).set('content-type', JSON_PATCH)
        .send(JSON.stringify([{ op: 'replace', path: '/spec/address', value: taken.spec.address }])).expect(200);
      expect(analyzerWarningsOf(res)).toContain(
        `MR0006 DuplicateWorkloadAddress: WorkloadEntries ${a}/vm, ${b}/taken share spec.address ${taken.spec.address} with no spec.network set`,
      );
      expect((await analyze(b)).findings.map((f) => f.code)).toEqual(expect.arrayContaining(['MR0006']));
    });

    it('a ServiceEntry edit is judged against the others, not against its stored self', async () => {
      const [a, b] = spaces('upd');
      const host = uniqueHost();
      const one = svc(a, 'one', host, 'TCP');
      await write(one).expect(201);
      await write(svc(b, 'two', host, 'TCP')).expect(201);
      await analyze();
      const res = await request(t.url).put(itemOf(one)).send(bodyOf({ ...one, spec: { ...one.spec, ports: [{ number: 80, name: 'p', protocol: 'HTTP' }] } })).expect(200);
      expect(analyzerWarningsOf(res).map((w) => w.split(' ')[0])).toEqual(['MR0007']);
      const back = await request(t.url).put(itemOf(one)).send(bodyOf(one)).expect(200);
      expect(analyzerWarningsOf(back)).toEqual([]);
    });

    it('a dry run warns like the real write, but the registry analysis is unchanged', async () => {
      const [a] = spaces('upd');
      const lonely = se(a, 'svc', 'nobody');
      const res = await request(t.url).post(`${collectionOf(lonely)}?dryRun=All`).send(bodyOf(lonely)).expect(201);
      expect(analyzerWarningsOf(res)).toEqual([
        `MR0001 ServiceEntrySelectsNothing: ServiceEntry ${a}/svc spec.workloadSelector selects no WorkloadEntry in namespace ${a}`,
      ]);
      expect((await analyze(a)).findings).toEqual([]);
    });

    it('a delete is reflected by the next analysis', async () => {
      const [a] = spaces('upd');
      const service = se(a, 'svc', 'web');
      await write(service).expect(201);
      await write(we(a, 'vm', 'web')).expect(201);
      expect((await analyze(a)).findings).toEqual([]);
      await request(t.url).delete(itemOf(service)).expect(200);
      expect((await analyze(a)).findings.map((f) => f.code)).toEqual(['MR0002']);
    });
  });

  describe('GET /registry/v1/analyze', () => {
    it('answers a resourceVersion that follows the writes', async () => {
      const before = await analyze();
      const [a] = spaces('rv');
      await write(we(a, 'vm', 'db')).expect(201);
      const after = await analyze();
      expect(BigInt(after.resourceVersion)).toBeGreaterThan(BigInt(before.resourceVersion));
    });

    it('scopes a small mesh by namespace, cross-namespace findings included, sorted by code then namespace/name', async () => {
      const [a, b] = spaces('mesh');
      const c = `${a}-c`;
      const shared = uniqueIp();
      const api = uniqueHost();
      const mesh: Obj[] = [
        se(a, 'web', 'web'),
        we(a, 'web-1', 'web', { address: shared, ports: { htp: 8080 } }),
        we(b, 'orphan', 'db', { address: shared }),
        se(b, 'lonely', 'nobody', { resolution: 'NONE' }),
        we(a, 'vm', 'web', { address: uniqueFqdn() }),
        svc(a, 'api-http', api, 'HTTP'),
        svc(c, 'api-tcp', api, 'TCP'),
        we(c, 'quiet', 'q'),
        se(c, 'quiet', 'q'),
      ];
      for (const o of mesh) await write(o).expect(201);
      const line = (f: Finding) => `${f.code} ${f.objects[0].namespace}/${f.objects[0].name}`;
      const inMesh = (f: Finding) => f.objects.some((o) => [a, b, c].includes(o.namespace));
      const all = (await analyze()).findings;
      expect(all.filter(inMesh).map(line)).toEqual([
        `MR0001 ${b}/lonely`, `MR0002 ${b}/orphan`, `MR0003 ${a}/vm`, `MR0004 ${b}/lonely`, `MR0005 ${a}/web-1`, `MR0006 ${a}/web-1`, `MR0007 ${a}/api-http`,
      ]);
      expect((await analyze(a)).findings.map((f) => f.code)).toEqual(['MR0003', 'MR0005', 'MR0006', 'MR0007']);
      expect((await analyze(b)).findings.map((f) => f.code)).toEqual(['MR0001', 'MR0002', 'MR0004', 'MR0006']);
      expect((await analyze(c)).findings.map((f) => f.code)).toEqual(['MR0007']);
      const keys = all.map((f) => `${f.code}\u0000${f.objects[0].namespace}\u0000${f.objects[0].name}`);
      expect(keys).toEqual([...keys].sort());
    });

    it('answers an empty list for a namespace without objects', async () => {
      expect((await analyze('empty-namespace')).findings).toEqual([]);
    });

    it.each(['Bad_NS', 'n'.repeat(64), '-a'])('refuses the namespace %j with a 400 Status', async (namespace) => {
      const res = await request(t.url).get(ANALYZE).query({ namespace });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', details: { causes: [expect.objectContaining({ field: 'namespace' })] } });
    });
  });
});
