import { CacheEvent } from '../cache/object-cache';
import { KubeObject } from '../common/kube-object';
import { parseFieldSelector } from '../resources/field-selector';
import { parseLabelSelector } from '../resources/label-selector';
import { eventTypeFor, frame, WatchFilter } from './watch-events';

const object = (labels: Record<string, string>, name = 'vm', namespace = 'a', kind = 'WorkloadEntry'): KubeObject =>
  ({ kind, apiVersion: 'networking.istio.io/v1', metadata: { name, namespace, labels }, spec: {} });
const filter = (selector = '', extra: Partial<WatchFilter> = {}): WatchFilter =>
  ({ kind: 'WorkloadEntry', labels: parseLabelSelector(selector), fields: [], ...extra });

describe(eventTypeFor.name, () => {
  it.each<[string, WatchFilter, CacheEvent, string | undefined]>([
    ['an add that matches', filter('app=x'), { type: 'ADDED', object: object({ app: 'x' }) }, 'ADDED'],
    ['an add that does not match', filter('app=x'), { type: 'ADDED', object: object({ app: 'y' }) }, undefined],
    ['a change that matches before and after', filter('app=x'), { type: 'MODIFIED', object: object({ app: 'x', v: '2' }), previousLabels: { app: 'x' } }, 'MODIFIED'],
    ['a change that starts to match', filter('app=x'), { type: 'MODIFIED', object: object({ app: 'x' }), previousLabels: { app: 'y' } }, 'ADDED'],
    ['a change that stops matching', filter('app=x'), { type: 'MODIFIED', object: object({ app: 'y' }), previousLabels: { app: 'x' } }, 'DELETED'],
    ['a change that never matches', filter('app=x'), { type: 'MODIFIED', object: object({ app: 'y' }), previousLabels: { app: 'z' } }, undefined],
    ['a delete of what matched', filter('app=x'), { type: 'DELETED', object: object({ app: 'x' }), previousLabels: { app: 'x' } }, 'DELETED'],
    ['a delete of what did not match', filter('app=x'), { type: 'DELETED', object: object({ app: 'y' }), previousLabels: { app: 'y' } }, undefined],
    ['another namespace', filter('', { namespace: 'b' }), { type: 'ADDED', object: object({}) }, undefined],
    ['another kind', filter(), { type: 'ADDED', object: object({}, 'vm', 'a', 'ServiceEntry') }, undefined],
    ['a name field selector', filter('', { fields: parseFieldSelector('metadata.name=vm', ['metadata.name']) }), { type: 'ADDED', object: object({}) }, 'ADDED'],
    ['another name', filter('', { fields: parseFieldSelector('metadata.name=other', ['metadata.name']) }), { type: 'ADDED', object: object({}) }, undefined],
  ])('%s', (_name, watch, change, expected) => {
    expect(eventTypeFor(watch, change)).toBe(expected);
  });
});

describe(frame.name, () => {
  it('writes one compact JSON event per line', () => {
    expect(frame('ADDED', { a: 1 })).toBe('{"type":"ADDED","object":{"a":1}}\n');
  });
});
