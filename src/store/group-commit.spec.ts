import { GroupCommit } from './group-commit';

/** A send whose calls the test completes by hand, recording what each transaction held. */
function manualSend() {
  const calls: { payloads: string[]; finish(fail?: Error): void }[] = [];
  const send = (payloads: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ payloads, finish: (fail) => (fail ? reject(fail) : resolve(payloads.map((p) => `done:${p}`))) });
    });
  return { calls, send };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('sends a lone write at once, alone', async () => {
    const { calls, send } = manualSend();
    const commit = new GroupCommit(send, 2, 10);
    const answer = commit.submit('a', 'a1');
    expect(calls.map((c) => c.payloads)).toEqual([['a1']]);
    calls[0].finish();
    await expect(answer).resolves.toBe('done:a1');
  });

  it('batches what arrives while maxInFlight transactions are out, up to maxBatch', async () => {
    const { calls, send } = manualSend();
    const commit = new GroupCommit(send, 1, 3);
    const answers = ['a', 'b', 'c', 'd', 'e'].map((k) => commit.submit(k, `${k}1`));
    expect(calls.map((c) => c.payloads)).toEqual([['a1']]);
    expect(commit.waiting).toBe(4);
    calls[0].finish();
    await tick();
    expect(calls.map((c) => c.payloads)).toEqual([['a1'], ['b1', 'c1', 'd1']]);
    calls[1].finish();
    await tick();
    calls[2].finish();
    await expect(Promise.all(answers)).resolves.toEqual(['done:a1', 'done:b1', 'done:c1', 'done:d1', 'done:e1']);
    expect(calls.map((c) => c.payloads)).toEqual([['a1'], ['b1', 'c1', 'd1'], ['e1']]);
  });

  it('never puts one key twice in a batch, and keeps each key\'s order', async () => {
    const { calls, send } = manualSend();
    const commit = new GroupCommit(send, 1, 10);
    void commit.submit('x', 'x0');
    const later = [commit.submit('a', 'a1'), commit.submit('a', 'a2'), commit.submit('b', 'b1'), commit.submit('a', 'a3')];
    calls[0].finish();
    await tick();
    expect(calls[1].payloads).toEqual(['a1', 'b1']);
    calls[1].finish();
    await tick();
    expect(calls[2].payloads).toEqual(['a2']);
    calls[2].finish();
    await tick();
    expect(calls[3].payloads).toEqual(['a3']);
    calls[3].finish();
    await expect(Promise.all(later)).resolves.toEqual(['done:a1', 'done:a2', 'done:b1', 'done:a3']);
  });

  it('retries a failed batch one write at a time, so only the bad write fails', async () => {
    const send = jest.fn(async (payloads: string[]) => {
      if (payloads.includes('bad')) throw new Error('rolled back');
      return payloads.map((p) => `done:${p}`);
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = jest.fn(async (payloads: string[]) => (payloads[0] === 'first' ? gate.then(() => ['done:first']) : send(payloads)));
    const commit = new GroupCommit(held, 1, 10);
    const first = commit.submit('f', 'first');
    const good = commit.submit('g', 'good');
    const bad = commit.submit('b', 'bad');
    release();
    await expect(first).resolves.toBe('done:first');
    await expect(good).resolves.toBe('done:good');
    await expect(bad).rejects.toThrow('rolled back');
    expect(send.mock.calls.map(([p]) => p)).toEqual([['good', 'bad'], ['good'], ['bad']]);
  });

  it('fails a lone write with its own error, and goes on with the next', async () => {
    const { calls, send } = manualSend();
    const commit = new GroupCommit(send, 1, 10);
    const lone = commit.submit('a', 'a1');
    const next = commit.submit('b', 'b1');
    calls[0].finish(new Error('connection lost'));
    await expect(lone).rejects.toThrow('connection lost');
    await tick();
    calls[1].finish();
    await expect(next).resolves.toBe('done:b1');
  });
});
