import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Clock } from '../../src/common/clock';

export const SCRIPT = join(__dirname, '../../deploy/vm/mesh-registry-vm.sh');

/** Whether a command is on the PATH (the kit needs sh and curl; the tests skip without them). */
export function have(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Real time (the script runs in real time), until a test stops it at a moment of its choosing to see
 * expiry happen exactly when it should; then real time again from there.
 */
export class SteppingClock implements Clock {
  private offset = 0;
  private stopped?: number;
  now(): number {
    return this.stopped ?? Date.now() + this.offset;
  }
  /** Stops the clock at `ms`. */
  set(ms: number): void {
    this.stopped = ms;
  }
  /** Runs on from where it stands. */
  resume(): void {
    if (this.stopped !== undefined) this.offset = this.stopped - Date.now();
    this.stopped = undefined;
  }
}

export interface Kit {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the output matches. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** Runs the boot kit as the unit does, with only PATH and the given environment; `shell` as a VM's /bin/sh. */
export function runKit(env: Record<string, string>, shell: string[] = ['sh'], script = SCRIPT): Kit {
  const child = spawn(shell[0], [...shell.slice(1), script], { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => (running.delete(child), resolve({ code, signal }))));
  return {
    child,
    output: () => output,
    exited,
    waitForOutput: (pattern, timeoutMs = 10_000) => waitUntil(() => pattern.test(output), timeoutMs, () => `output never matched ${pattern}:\n${output}`),
    stop: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Kills what a failed test left running. */
export function killKits(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, why: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(why());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The VM's application as its probe sees it: answers /healthz with `status`; stop() and start() it on the same port. */
export class ProbeTarget {
  status = 200;
  port = 0;
  private server?: Server;

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? this.status : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
