import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The registry's own directory of secrets (generated CA and server key, first admin token, kubeconfig):
 * mode 0700, every file 0600, written whole (to a temporary name, then renamed) so that a crash never
 * leaves half a key.
 */
export class DataDir {
  private constructor(readonly path: string) {}

  static async open(path: string): Promise<DataDir> {
    // Only the directory itself is private: its parent (.data) must stay enterable by the embedded PostgreSQL's user.
    await mkdir(dirname(path), { recursive: true });
    await mkdir(path, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    try {
      await chmod(path, 0o700);
    } catch (error) {
      throw new Error(`the data directory ${path} cannot be made private (mode 0700): ${(error as Error).message}; set DATA_DIR to a directory this user owns`);
    }
    return new DataDir(path);
  }

  file(name: string): string {
    return join(this.path, name);
  }

  async read(name: string): Promise<string | undefined> {
    return readFile(this.file(name), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
  }

  async write(name: string, content: string): Promise<string> {
    const path = this.file(name);
    const partial = `${path}.partial`;
    await writeFile(partial, content, { mode: 0o600 });
    await chmod(partial, 0o600);
    await rename(partial, path);
    return path;
  }

  async rename(from: string, to: string): Promise<void> {
    await rename(this.file(from), this.file(to));
  }

  async remove(name: string): Promise<void> {
    await rm(this.file(name), { force: true });
  }
}
