import { Renewal, Renewed } from '../store/lease.repository';
import { RenewalBatcher } from './renewal-batcher';

const renewal = (name: string, renewMs = 1): Renewal => ({ namespace: 'ns', name, uid: 'u', holder: 'h', group: null, durationMs: 40_000, renewMs });

/** A writer that records each batch and answers after `gate` opens: a stand-in for one database round trip. */
function recordingWriter(known: (name: string) => boolean = () => true) {
  const batches: Renewal[][] = [];
  let open: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (open = resolve));
  const write = async (batch: Renewal[]) => {
    batches.push(batch);
    await gate;
    return new Map<string, Renewed>(batch.filter((r) => known(r.name)).map((r) => [`${r.namespace}/${r.name}`, { renewMs: r.renewMs, wasExpired: false }]));
  };
  return { batches, write, release: () => { open(); gate = new Promise<void>((resolve) => (open = resolve)); } };
}

describe('RenewalBatcher: group commit', () => {
  it('renewals arriving while a flush is in flight share the next one, and each caller waits for its own commit', async () => {
    const writer = recordingWriter();
    const batcher = new RenewalBatcher(writer.write, 0);
    const first = batcher.renew(renewal('a'));
    await new Promise(setImmediate);
    const later = ['b', 'c', 'd'].map((name) => batcher.renew(renewal(name)));
    await new Promise(setImmediate);
    expect(writer.batches.map((b) => b.map((r) => r.name))).toEqual([['a']]);
    let laterDone = false;
    void Promise.all(later).then(() => (laterDone = true));
    writer.release();
    await expect(first).resolves.toEqual({ renewMs: 1, wasExpired: false });
    await new Promise(setImmediate);
    expect(laterDone).toBe(false); // not acknowledged before their own flush commits
    expect(writer.batches.map((b) => b.map((r) => r.name))).toEqual([['a'], ['b', 'c', 'd']]);
    writer.release();
    await expect(Promise.all(later)).resolves.toHaveLength(3);
  });

  it('one key once per batch, the newest renewal winning; an unknown entry answers undefined', async () => {
    const writer = recordingWriter((name) => name !== 'gone');
    const batcher = new RenewalBatcher(writer.write, 5);
    const answers = Promise.all([batcher.renew(renewal('a', 1)), batcher.renew(renewal('a', 2)), batcher.renew(renewal('gone'))]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    writer.release();
    expect(await answers).toEqual([{ renewMs: 2, wasExpired: false }, { renewMs: 2, wasExpired: false }, undefined]);
    expect(writer.batches).toHaveLength(1);
    expect(writer.batches[0].map((r) => [r.name, r.renewMs])).toEqual([['a', 2], ['gone', 1]]);
  });

  it('a failed flush fails its callers (nothing acknowledged) and the next flush works', async () => {
    let fail = true;
    const batcher = new RenewalBatcher(async (batch) => {
      if (fail) throw new Error('connection lost');
      return new Map(batch.map((r) => [`${r.namespace}/${r.name}`, { renewMs: r.renewMs, wasExpired: false }]));
    }, 0);
    await expect(batcher.renew(renewal('a'))).rejects.toThrow('connection lost');
    fail = false;
    await expect(batcher.renew(renewal('a'))).resolves.toEqual({ renewMs: 1, wasExpired: false });
  });
});

describe('RenewalBatcher under load', () => {
  it('overlaps flushes once enough renewals wait, at most four in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const batcher = new RenewalBatcher(async (batch) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => gates.push(resolve));
      inFlight--;
      return new Map(batch.map((r) => [`${r.namespace}/${r.name}`, { renewMs: r.renewMs, wasExpired: false }]));
    }, 0);
    const all: Promise<unknown>[] = [];
    for (let wave = 0; wave < 6; wave++) {
      for (let i = 0; i < 64; i++) all.push(batcher.renew(renewal(`w${wave}-${i}`)));
      await new Promise(setImmediate);
    }
    expect(most).toBe(4);
    while (gates.length) {
      gates.shift()!();
      await new Promise(setImmediate);
    }
    await expect(Promise.all(all)).resolves.toHaveLength(6 * 64);
    await batcher.idle();
  });

  it('a backlog beyond one statement goes 5,000 at a time, oldest first, and every caller is answered once', async () => {
    const writer = recordingWriter();
    const batcher = new RenewalBatcher(writer.write, 0);
    const first = batcher.renew(renewal('first'));
    await new Promise(setImmediate);
    const backlog = Array.from({ length: 12_000 }, (_, i) => batcher.renew(renewal(`b${i}`, i)));
    const answered = new Set<number>();
    backlog.forEach((answer, i) => void answer.then(() => answered.add(i)));
    for (let flush = 0; flush < 4; flush++) {
      writer.release();
      await new Promise(setImmediate);
    }
    await first;
    await expect(Promise.all(backlog)).resolves.toEqual(Array.from({ length: 12_000 }, (_, i) => ({ renewMs: i, wasExpired: false })));
    // Three flushes overlapped the first as soon as 64 waited (at most four in flight); the rest queued.
    expect(writer.batches.map((b) => b.length)).toEqual([1, 64, 64, 64, 5000, 5000, 1808]);
    expect(writer.batches.flat().map((r) => r.name)).toEqual(['first', ...Array.from({ length: 12_000 }, (_, i) => `b${i}`)]);
    expect(answered.size).toBe(12_000);
    await batcher.idle();
  });
});
