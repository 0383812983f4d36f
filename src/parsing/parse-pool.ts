import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ApiError, apiErrors } from '../common/status';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { ImportStreamOptions, ParsedDocument } from '../manifests/import-stream';
import { MAX_NESTING_DEPTH, ParseLimits } from './limits';
import type { ParseJob, ParseReply } from './parse.worker';
import { ReplyQueue } from './reply-queue';

const WORKER_FILE = join(__dirname, `parse.worker${extname(__filename)}`);
/** Under ts-jest the sources are TypeScript: the worker then loads them through ts-node. */
const workerExecArgv = () => (extname(__filename) === '.ts' ? ['--require', require.resolve('ts-node/register/transpile-only')] : []);

type Job = ParseJob extends infer J ? (J extends { id: number } ? Omit<J, 'id'> : never) : never;

/**
 * Worker threads that parse YAML bodies and import streams, so that a large or hostile body costs a
 * worker's time instead of the event loop's: `/healthz`, resolve and every other request keep being
 * answered meanwhile. One more worker than imports may run at once, so YAML object bodies always find
 * one. A worker whose job was abandoned (client gone, shutdown) is terminated rather than reused.
 */
@Injectable()
export class ParsePool implements OnApplicationShutdown {
  private readonly idle: Worker[] = [];
  private readonly waiting: ((worker: Worker) => void)[] = [];
  private live = 0;
  private nextId = 1;
  private closed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get bodyLimits(): ParseLimits {
    return { maxDocumentBytes: this.config.bodyLimitBytes, maxAliases: this.config.yamlMaxAliases, maxDepth: MAX_NESTING_DEPTH };
  }

  async parseYamlBody(text: string): Promise<unknown> {
    for await (const reply of this.run({ type: 'yaml-body', text, limits: this.bodyLimits })) {
      if ('valueJson' in reply) return JSON.parse(reply.valueJson);
    }
    throw new Error('the parse worker answered no value');
  }

  /** The import's documents in batches, as the worker reads them; abort to stop it. */
  async *importDocuments(text: string, options: ImportStreamOptions, signal?: AbortSignal): AsyncGenerator<ParsedDocument[]> {
    for await (const reply of this.run({ type: 'import', text, options }, signal)) {
      if ('documentsJson' in reply) yield JSON.parse(reply.documentsJson) as ParsedDocument[];
    }
  }

  onApplicationShutdown(): void {
    this.closed = true;
    for (const worker of this.idle.splice(0)) void worker.terminate();
  }

  private async *run(job: Job, signal?: AbortSignal): AsyncGenerator<ParseReply> {
    const worker = await this.acquire(signal);
    const id = this.nextId++;
    const replies = new ReplyQueue<ParseReply>();
    const onMessage = (message: ParseReply) => message.id === id && replies.push(message);
    const onError = (error: Error) => replies.fail(error);
    const onExit = (code: number) => replies.fail(new Error(`the parse worker exited with code ${code}`));
    const onAbort = () => replies.fail(signal?.reason);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    try {
      worker.postMessage({ ...job, id });
      for (;;) {
        const reply = await replies.next();
        finished = 'done' in reply || 'valueJson' in reply || 'refused' in reply;
        if ('refused' in reply) throw new ApiError(reply.refused);
        if ('crashed' in reply) throw new Error(`the parse worker failed: ${reply.crashed}`);
        if ('done' in reply) return;
        yield reply;
        if ('valueJson' in reply) return;
      }
    } catch (error) {
      throw this.outOfMemory(error) ?? error;
    } finally {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
      this.release(worker, finished);
    }
  }

  private outOfMemory(error: unknown): ApiError | undefined {
    if ((error as { code?: string })?.code !== 'ERR_WORKER_OUT_OF_MEMORY') return undefined;
    return apiErrors.tooLarge(0, `the request body needs more memory to parse than a parse worker has (${this.memoryLimitMb()} MB): split it`);
  }

  private acquire(signal?: AbortSignal): Promise<Worker> {
    signal?.throwIfAborted();
    const ready = this.idle.pop();
    if (ready) return Promise.resolve(ready);
    if (this.live < this.config.importMaxInFlight + 1) return Promise.resolve(this.spawn());
    return new Promise((resolve, reject) => {
      const take = (worker: Worker) => (signal?.removeEventListener('abort', giveUp), resolve(worker));
      const giveUp = () => {
        this.waiting.splice(this.waiting.indexOf(take), 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', giveUp, { once: true });
      this.waiting.push(take);
    });
  }

  private release(worker: Worker, reusable: boolean): void {
    if (reusable && !this.closed) {
      const waiter = this.waiting.shift();
      if (waiter) waiter(worker);
      else this.idle.push(worker);
      return;
    }
    void worker.terminate();
    const waiter = this.closed ? undefined : this.waiting.shift();
    if (waiter) waiter(this.spawn());
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_FILE, {
      execArgv: workerExecArgv(),
      resourceLimits: { maxOldGenerationSizeMb: this.memoryLimitMb() },
    });
    worker.unref();
    this.live++;
    worker.once('exit', () => {
      this.live--;
      const at = this.idle.indexOf(worker);
      if (at !== -1) this.idle.splice(at, 1);
    });
    // An idle worker has no job listening; its failure only removes it from the pool.
    worker.on('error', () => undefined);
    return worker;
  }

  /** Room for the stream itself, its documents as values, and the parser's work on one document. */
  private memoryLimitMb(): number {
    return 128 + Math.ceil((16 * this.config.importBodyLimitBytes) / 2 ** 20);
  }
}
