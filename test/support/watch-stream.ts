import { IncomingHttpHeaders, request } from 'node:http';
import type { Response } from 'superagent';

export interface WatchEvent {
  type: string;
  object: any;
}

/** An open watch, read line by line as client-node reads it; events wait in order until taken. */
export interface WatchStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Milliseconds from the request to the response head. */
  headMs: number;
  /** The next event, or an error after `timeoutMs`. */
  next(timeoutMs?: number): Promise<WatchEvent>;
  /** Every event that arrives within `ms`. */
  collect(ms: number): Promise<WatchEvent[]>;
  /** Resolves when the server ends the stream, with the milliseconds since the request. */
  ended: Promise<number>;
  /** Lines that were not JSON (there must be none). */
  malformed: string[];
  /** Stops reading (as a stuck client does), and starts again. */
  pause(): void;
  resume(): void;
  close(): void;
}

export function openWatch(base: string, path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      const queue: WatchEvent[] = [];
      const waiting: ((event: WatchEvent) => void)[] = [];
      const malformed: string[] = [];
      let buffered = '';
      let endedAt: (ms: number) => void;
      const ended = new Promise<number>((done) => (endedAt = done));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          let event: WatchEvent;
          try {
            event = JSON.parse(line);
          } catch {
            malformed.push(line);
            continue;
          }
          const taker = waiting.shift();
          if (taker) taker(event);
          else queue.push(event);
        }
      });
      res.on('end', () => endedAt(Date.now() - started));
      res.on('close', () => endedAt(Date.now() - started));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        headMs: Date.now() - started,
        malformed,
        ended,
        next: (timeoutMs = 3000) => {
          const ready = queue.shift();
          if (ready) return Promise.resolve(ready);
          return new Promise((resolveEvent, rejectEvent) => {
            const timer = setTimeout(() => {
              waiting.splice(waiting.indexOf(taker), 1);
              rejectEvent(new Error(`no watch event within ${timeoutMs} ms`));
            }, timeoutMs);
            const taker = (event: WatchEvent) => (clearTimeout(timer), resolveEvent(event));
            waiting.push(taker);
          });
        },
        collect: async (ms) => {
          await new Promise((r) => setTimeout(r, ms));
          return queue.splice(0);
        },
        pause: () => res.pause(),
        resume: () => res.resume(),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A supertest parser that keeps a watch's answer as text (it is JSON lines, not one JSON document). */
export const asText = (res: Response, done: (error: Error | null, body: unknown) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk));
  stream.on('end', () => done(null, text));
};
