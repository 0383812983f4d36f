import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, link, lstat, mkdir, mkdtemp, readdir, readlink, rename, rm, rmdir, stat, symlink, copyFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';

/**
 * Where the embedded PostgreSQL lives when we are root. PostgreSQL refuses to run as root, so it runs as
 * the `postgres` system user, which must be able to reach its binaries and its data: a clone under a
 * directory of mode 0700 (such as /root) is out of that user's reach. Root-owned, mode 0755.
 */
export const RUNTIME_DIR = '/var/lib/mesh-registry';

export interface ServerUser {
  uid: number;
  gid: number;
}

const run = promisify(execFile);
const SERVER_USER = 'postgres';

/** The `postgres` system user's ids, creating the user (and group) when missing. */
export async function serverUser(): Promise<ServerUser> {
  const existing = await idsOf(SERVER_USER);
  if (existing) return existing;
  try {
    if (!(await run('getent', ['group', SERVER_USER]).catch(() => undefined))) await run('groupadd', ['--system', SERVER_USER]);
    await run('useradd', ['--system', '--gid', SERVER_USER, '--no-create-home', '--home-dir', RUNTIME_DIR, '--shell', '/usr/sbin/nologin', SERVER_USER]);
  } catch (error) {
    // Another process may have created it at the same moment.
    const raced = await idsOf(SERVER_USER);
    if (raced) return raced;
    throw new Error(`PostgreSQL refuses to run as root and no "${SERVER_USER}" user could be created to run it (${firstLine(error)})`);
  }
  const created = await idsOf(SERVER_USER);
  if (!created) throw new Error(`the "${SERVER_USER}" user was created but cannot be looked up`);
  return created;
}

async function idsOf(name: string): Promise<ServerUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** A root-owned directory of mode 0755 under RUNTIME_DIR (created with its parents when missing). */
async function runtimeDir(...parts: string[]): Promise<string> {
  const dir = join(RUNTIME_DIR, ...parts);
  await mkdirReachable(dir);
  return dir;
}

/**
 * The binaries (the package's `native` tree) mirrored under RUNTIME_DIR, hard-linked where possible
 * (copied across file systems), readable by everyone. Built aside and renamed into place, so a
 * half-made tree is never used and concurrent starts do not collide; later starts reuse it.
 */
export async function reachableBinaries(nativeDir: string, name: string): Promise<string> {
  const target = join(await runtimeDir(), name);
  if (await exists(join(target, 'bin', 'postgres'))) return target;
  const partial = await mkdtemp(`${target}.partial-`);
  try {
    await chmod(partial, 0o755);
    await mirror(nativeDir, partial);
    await rename(partial, target).catch(async (error: NodeJS.ErrnoException) => {
      if (!(await exists(join(target, 'bin', 'postgres')))) throw error;
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return target;
}

async function mirror(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const destination = join(to, entry.name);
    if (entry.isDirectory()) {
      await mkdir(destination);
      await chmod(destination, 0o755);
      await mirror(source, destination);
    } else if (entry.isSymbolicLink()) {
      await symlink(await readlink(source), destination);
    } else {
      await linkReadable(source, destination);
    }
  }
}

/** A hard link shares the file's mode: link only what everyone can already read (and run, if it runs). */
async function linkReadable(source: string, destination: string): Promise<void> {
  const { mode } = await stat(source);
  const wanted = (mode & 0o777) | 0o444 | (mode & 0o100 ? 0o111 : 0);
  if ((mode & 0o777) === wanted && (await link(source, destination).then(() => true, () => false))) return;
  await copyFile(source, destination);
  await chmod(destination, wanted);
}

export interface DataDirPlacement {
  /** Where the cluster's files are. */
  path: string;
  /** Set when the configured path is a symlink this call created (to `path`). */
  createdLink?: string;
}

/**
 * Where the cluster of `configured` lives, as the server user can reach it. A configured directory
 * whose parent that user cannot enter gets its cluster under RUNTIME_DIR/data instead, and a symlink at
 * the configured path, so a second start (which follows the link) finds the same data.
 */
export async function reachableDataDir(configured: string, user: ServerUser): Promise<DataDirPlacement> {
  const linked = await readlink(configured).catch(() => undefined);
  if (linked !== undefined) return { path: resolve(dirname(configured), linked) };
  await mkdirReachable(dirname(configured));
  if (await canEnter(dirname(configured), user)) return { path: configured };
  // Nothing to move: an empty directory (a failed start of an earlier version left one) may go.
  if (await exists(configured)) {
    await rmdir(configured).catch(() => {
      throw new Error(`the postgres user cannot enter ${dirname(configured)}, so it cannot use the data in ${configured}; move that directory to where it can, or set EMBEDDED_PG_DATA_DIR to such a place`);
    });
  }
  const path = join(await runtimeDir('data'), createHash('sha256').update(configured).digest('hex').slice(0, 16));
  await symlink(path, configured);
  return { path, createdLink: configured };
}

/** True when `user` can enter `dir`: tried as that user, so ACLs and groups count as the kernel counts them. */
function canEnter(dir: string, user: ServerUser): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
    child.once('error', () => done(false));
    child.once('exit', (code) => done(code === 0));
  });
}

/** mkdir -p, with every directory it creates made 0755 whatever the umask, so other users can enter it. */
async function mkdirReachable(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (!first) return;
  const created = relative(first, dir).split(sep).filter(Boolean);
  for (let depth = 0; depth <= created.length; depth++) await chmod(join(first, ...created.slice(0, depth)), 0o755);
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}

function firstLine(error: unknown): string {
  const { stderr, message } = error as { stderr?: string; message?: string };
  return (stderr?.trim() || message || String(error)).split('\n')[0];
}
