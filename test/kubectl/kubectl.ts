import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { kubeconfigYaml } from '../../src/auth/kubeconfig';
import { writeKubeconfig } from '../support/kubeconfig';

/** The kubectl on PATH, or undefined (the walkthrough is then skipped). */
export function kubectlOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'kubectl');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  /** Runs kubectl with the given arguments; never throws on a non-zero exit. */
  run(...args: string[]): Promise<KubectlResult>;
  /** The temporary directory (kubeconfig, HOME and discovery cache, scratch manifests). */
  dir: string;
  close(): Promise<void>;
}

/**
 * kubectl pointed at `server` through a kubeconfig of its own in a temporary directory, which is
 * also HOME, so that neither the user's kubeconfig nor their discovery cache is read or written.
 */
export async function kubectlFor(binary: string, server: string, credentials?: { token: string; caPem: string }): Promise<Kubectl> {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-kubectl-'));
  const kubeconfig = credentials
    ? await writeFile(join(dir, 'kubeconfig'), kubeconfigYaml({ server, ...credentials })).then(() => join(dir, 'kubeconfig'))
    : await writeKubeconfig(dir, server);
  const env = { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: kubeconfig };
  return {
    dir,
    run: (...args) =>
      new Promise((resolve) => {
        execFile(binary, args, { env, timeout: 30_000 }, (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        });
      }),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The lines of a kubectl table, each split into its cells (two or more spaces apart). */
export const tableLines = (stdout: string): string[][] =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s{2,}/));
