import { KubeObject } from '../common/kube-object';
import { ApiError } from '../common/status';
import { serviceEntryKind } from '../kinds/service-entry.kind';
import { workloadEntryKind } from '../kinds/workload-entry.kind';
import { KINDS } from '../kinds/kinds';
import { humanDuration } from './human-duration';
import { evaluateSimpleJsonPath, goJson, parseSimpleJsonPath, printerCell } from './printer-cells';
import { columnDefinitionsOf, parseIncludeObject, tableForBody } from './table';

const NOW = new Date('2026-01-01T12:00:00Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  it.each<[number, string]>([
    [-3 * SECOND, '<invalid>'],
    [-1.5 * SECOND, '0s'],
    [0, '0s'],
    [59 * SECOND, '59s'],
    [119 * SECOND, '119s'],
    [2 * MINUTE, '2m'],
    [3 * MINUTE + 20 * SECOND, '3m20s'],
    [10 * MINUTE, '10m'],
    [179 * MINUTE, '179m'],
    [3 * HOUR, '3h'],
    [5 * HOUR + 30 * MINUTE, '5h30m'],
    [8 * HOUR, '8h'],
    [47 * HOUR, '47h'],
    [2 * DAY, '2d'],
    [2 * DAY + 3 * HOUR, '2d3h'],
    [8 * DAY, '8d'],
    [729 * DAY, '729d'],
    [730 * DAY, '2y'],
    [3 * 365 * DAY + 5 * DAY, '3y5d'],
    [9 * 365 * DAY, '9y'],
  ])('%d ms is %s', (ms, text) => expect(humanDuration(ms)).toBe(text));
});

describe('simple JSONPath', () => {
  const object = { spec: { address: '2.2.2.2', hosts: ['a', 'b'], ports: [{ name: 'http' }] }, metadata: { labels: { 'app.kubernetes.io/name': 'x' } },
    status: { conditions: [{ type: 'Other', status: 'True' }, { type: 'Healthy', status: 'False', reason: 'LeaseExpired' }] } };

  it.each<[string, unknown]>([
    ['.spec.address', '2.2.2.2'],
    ['.spec.hosts', ['a', 'b']],
    ['.spec.hosts[1]', 'b'],
    ['.spec.ports[0].name', 'http'],
    [".metadata.labels['app.kubernetes.io/name']", 'x'],
    ['{.spec.address}', '2.2.2.2'],
    ['.spec.missing', undefined],
    ['.spec.address.deeper', undefined],
    ['.spec.hosts.name', undefined],
    ['.spec.ports[3].name', undefined],
    ['.status.conditions[?(@.type=="Healthy")].status', 'False'],
    [".status.conditions[?(@.type=='Healthy')].reason", 'LeaseExpired'],
    ['.status.conditions[?(@.type=="Missing")].status', undefined],
    ['.spec.address[?(@.type=="Healthy")]', undefined],
  ])('%s → %j', (path, value) => expect(evaluateSimpleJsonPath(object, path)).toEqual(value));

  it('rejects what is not a simple path', () => {
    expect(parseSimpleJsonPath('spec.address')).toBeUndefined();
    expect(parseSimpleJsonPath('.spec.ports[*].name')).toBeUndefined();
    expect(evaluateSimpleJsonPath(object, '.spec..address')).toBeUndefined();
  });
});

describe('printerCell', () => {
  it.each<[string, unknown, unknown]>([
    ['string', '2.2.2.2', '2.2.2.2'],
    ['string', ['details.bookinfo.com'], '["details.bookinfo.com"]'],
    ['string', { b: 1, a: 'x' }, '{"a":"x","b":1}'],
    ['string', 80, '80'],
    ['string', true, 'true'],
    ['string', undefined, null],
    ['integer', 7.9, 7],
    ['integer', 'seven', null],
    ['number', 1.5, 1.5],
    ['boolean', false, false],
    ['date', '2026-01-01T11:55:00Z', '5m'],
    ['date', 'yesterday', '<invalid>'],
    ['date', 5, null],
  ])('%s column, value %j → %j', (type, value, cell) => expect(printerCell(type, value, NOW)).toEqual(cell));

  it('writes JSON as Go does, with sorted keys', () => expect(goJson({ z: [1, { y: 2, x: 1 }], a: null })).toBe('{"a":null,"z":[1,{"x":1,"y":2}]}'));
});

const workloadEntry = (name: string, address?: string): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'WorkloadEntry',
  metadata: { name, namespace: 'default', resourceVersion: '7', creationTimestamp: '2026-01-01T11:59:30Z', labels: { app: 'a' } },
  spec: address ? { address } : { network: 'n' },
});

describe('Table', () => {
  it('has Name, then the CRD printer columns in their order', () => {
    expect(columnDefinitionsOf(workloadEntryKind).map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'], ['Age', 'date', ''], ['Address', 'string', ''], ['Healthy', 'string', ''], ['Reason', 'string', ''], ['Group', 'string', ''],
    ]);
    expect(columnDefinitionsOf(serviceEntryKind).map((c) => c.name)).toEqual(['Name', 'Hosts', 'Location', 'Resolution', 'Age']);
  });

  it('falls back to an Age column for a kind without printer columns', () => {
    expect(columnDefinitionsOf({ ...workloadEntryKind, printerColumns: [] }).map((c) => c.name)).toEqual(['Name', 'Age']);
  });

  it('turns a list into rows with PartialObjectMetadata, keeping resourceVersion and continue', () => {
    const list = { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntryList', metadata: { resourceVersion: '9', continue: 'abc' }, items: [workloadEntry('vm1', '2.2.2.2'), workloadEntry('remote')] };
    const table = tableForBody(KINDS, list, 'Metadata', NOW)!;
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '9', continue: 'abc' } });
    expect(table.rows.map((r) => r.cells)).toEqual([['vm1', '30s', '2.2.2.2', null, null, null], ['remote', '30s', null, null, null, null]]);
    expect(table.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: list.items[0].metadata });
  });

  it('turns one object into a one-row table, with the object or none as asked', () => {
    const object = workloadEntry('vm1', '2.2.2.2');
    expect(tableForBody(KINDS, object, 'Object', NOW)).toMatchObject({ metadata: { resourceVersion: '7' }, rows: [{ cells: ['vm1', '30s', '2.2.2.2', null, null, null], object }] });
    expect(tableForBody(KINDS, object, 'None', NOW)!.rows[0]).toEqual({ cells: ['vm1', '30s', '2.2.2.2', null, null, null] });
  });

  it('leaves anything else alone', () => {
    expect(tableForBody(KINDS, { kind: 'Status', apiVersion: 'v1', code: 404 }, 'Metadata', NOW)).toBeUndefined();
    expect(tableForBody(KINDS, { kind: 'WorkloadEntry', apiVersion: 'example.com/v1' }, 'Metadata', NOW)).toBeUndefined();
    expect(tableForBody(KINDS, 'ok', 'Metadata', NOW)).toBeUndefined();
  });

  it('reads includeObject, defaulting to Metadata', () => {
    expect(parseIncludeObject(undefined)).toBe('Metadata');
    expect(parseIncludeObject(['None', 'Object'])).toBe('Object');
    expect(() => parseIncludeObject('Everything')).toThrow(ApiError);
  });
});
