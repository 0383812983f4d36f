import { ClusterLedger, keyFor, parseKey } from './cluster-ledger';
import { syncKind } from './sync-kinds';

describe(ClusterLedger.name, () => {
  it('measures the lag from the oldest change still waiting, and forgets a change once settled', () => {
    const sut = new ClusterLedger();
    sut.changed('a', 1000);
    sut.changed('b', 3000);
    sut.changed('a', 5000);
    expect(sut.lagSeconds(6000)).toBe(5);
    sut.settled('a', true);
    expect(sut.lagSeconds(6000)).toBe(3);
    sut.settled('b', false);
    expect(sut.lagSeconds(6000)).toBe(0);
    expect(sut.inSync()).toBe(1);
  });

  it('says a clash is new once per reason, and counts failures until the key settles', () => {
    const sut = new ClusterLedger();
    const clash = { kind: 'WorkloadEntry', namespace: 'ns', name: 'x', reason: 'taken by someone else' };
    expect([sut.clash('k', clash), sut.clash('k', clash), sut.clash('k', { ...clash, reason: 'taken by helm' })]).toEqual([true, false, true]);
    expect(sut.clashCount()).toBe(1);
    expect(sut.clearClash('k')).toBe(true);
    expect(sut.clearClash('k')).toBe(false);
    const error = { code: 422, message: 'invalid', transient: false };
    expect([sut.failed('f', error), sut.failed('f', error)]).toEqual([1, 2]);
    expect(sut.status().failing).toEqual([{ key: 'f', attempts: 2, error: 'invalid' }]);
    sut.settled('f', true);
    expect(sut.status().failing).toEqual([]);
  });

  it('keys round-trip', () => {
    const kind = syncKind('ServiceEntry')!;
    expect(parseKey(keyFor(kind, 'bookinfo', 'details'), [syncKind('WorkloadEntry')!, kind])).toEqual({ kind, namespace: 'bookinfo', name: 'details' });
  });
});
