import { workloadLabels } from '../kinds/istio-selection';
import { WorkloadEntry } from '../kinds/istio-types';
import { mergedLabels } from './merged-labels';

const we = (spec?: Record<string, string>, meta?: Record<string, string>): WorkloadEntry =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'vm', labels: meta }, spec: { labels: spec } }) as WorkloadEntry;

describe('mergedLabels', () => {
  it.each([
    ['neither', undefined, undefined],
    ['spec only', { app: 'a', v: '1' }, undefined],
    ['metadata only', undefined, { app: 'a' }],
    ['metadata wins, spec key order kept', { v: '1', app: 'spec', zone: 'z' }, { app: 'meta', extra: 'x' }],
    ['a __proto__ key stays an own property', JSON.parse('{"__proto__":"x","a":"1"}'), { b: '2' }],
  ])('equals workloadLabels, key order included: %s', (_title, spec, meta) => {
    const expected = workloadLabels(we(spec, meta));
    const actual = mergedLabels(we(spec, meta));
    expect(actual).toEqual(expected);
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    expect(Object.getPrototypeOf(actual)).toBe(Object.prototype);
  });

  it('returns a fresh object', () => {
    const entry = we({ a: '1' }, { b: '2' });
    expect(mergedLabels(entry)).not.toBe(mergedLabels(entry));
    expect(mergedLabels(entry)).not.toBe(entry.metadata.labels);
  });
});
