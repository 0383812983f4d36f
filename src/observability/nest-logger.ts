import { LoggerService } from '@nestjs/common';
import { Level, Logger } from 'pino';

type NestLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
const PINO_LEVEL: Record<NestLevel, Level> = { log: 'info', error: 'error', warn: 'warn', debug: 'debug', verbose: 'trace', fatal: 'fatal' };

/** A line as Nest logs it: the message, then optional extras; the last extra is the context (a class name). */
export function nestLogLine(message: unknown, optionalParams: unknown[]): { fields: Record<string, unknown>; msg?: string } {
  const params = [...optionalParams];
  const fields: Record<string, unknown> = {};
  if (params.length > 0) fields.context = params.pop();
  if (message instanceof Error) return { fields: { ...fields, err: message } };
  if (typeof message === 'object' && message !== null) return { fields: { ...fields, ...message } };
  // Nest's exception handlers call error(message, stack, context): keep the stack as an error's.
  const [stack] = params;
  if (typeof stack === 'string' && /\n\s*at /.test(stack)) {
    const err = new Error(String(message));
    err.stack = stack;
    return { fields: { ...fields, err } };
  }
  return { fields, msg: String(message) };
}

/** Nest's LoggerService over the service's one pino logger, so Nest's own lines are JSON lines too. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log = (message: unknown, ...params: unknown[]) => this.write('log', message, params);
  error = (message: unknown, ...params: unknown[]) => this.write('error', message, params);
  warn = (message: unknown, ...params: unknown[]) => this.write('warn', message, params);
  debug = (message: unknown, ...params: unknown[]) => this.write('debug', message, params);
  verbose = (message: unknown, ...params: unknown[]) => this.write('verbose', message, params);
  fatal = (message: unknown, ...params: unknown[]) => this.write('fatal', message, params);

  private write(level: NestLevel, message: unknown, params: unknown[]): void {
    const { fields, msg } = nestLogLine(message, params);
    this.logger[PINO_LEVEL[level]](fields, msg);
  }
}
