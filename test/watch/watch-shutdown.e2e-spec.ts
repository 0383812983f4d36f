import { killServices, spawnService } from '../support/service-process';
import { openWatch } from '../support/watch-stream';

describe('watch: shutdown', () => {
  afterAll(() => killServices());

  it('ends open watches cleanly on SIGTERM, and they do not hold the process past its requests', async () => {
    const service = await spawnService({ LOG_LEVEL: 'warn', SHUTDOWN_TIMEOUT_MS: '8000' });
    await service.waitUntilReady();
    const watches = await Promise.all([1, 2, 3].map(() => openWatch(service.url, '/apis/networking.istio.io/v1/workloadentries?watch=true')));
    const signalled = Date.now();
    service.child.kill('SIGTERM');
    const ended = await Promise.all(watches.map((w) => w.ended));
    expect(ended.every((ms) => ms > 0)).toBe(true);
    expect(await service.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(3000);
    expect(watches.flatMap((w) => w.malformed)).toEqual([]);
  });
});
