import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDir } from './data-dir';

describe('DataDir', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'mesh-data-dir-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const mode = async (path: string) => (await stat(path)).mode & 0o777;

  it('makes only itself private (0700), its files 0600, and leaves its parent enterable', async () => {
    const dir = await DataDir.open(join(root, '.data', 'registry'));
    const file = await dir.write('admin.token', 'mr_x\n');
    expect(await mode(join(root, '.data', 'registry'))).toBe(0o700);
    expect(await mode(file)).toBe(0o600);
    // The parent gets what any new directory gets under this umask, not 0700.
    await mkdir(join(root, 'plain'));
    expect(await mode(join(root, '.data'))).toBe(await mode(join(root, 'plain')));
    expect(await dir.read('admin.token')).toBe('mr_x\n');
    expect(await dir.read('missing')).toBeUndefined();
  });

  it('closes an existing directory that was open to others', async () => {
    await mkdir(join(root, 'open'), { mode: 0o755 });
    await DataDir.open(join(root, 'open'));
    expect(await mode(join(root, 'open'))).toBe(0o700);
  });
});
