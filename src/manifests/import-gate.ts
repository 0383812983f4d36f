import { Inject, Injectable } from '@nestjs/common';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { wantsRawBodyRoute } from '../common/raw-body';
import { apiErrors } from '../common/status';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Draining } from '../lifecycle/draining';

/** What a client refused by the gate (or cut off by a shutdown) is told to wait before trying again. */
export const IMPORT_RETRY_AFTER_SECONDS = 5;

/** Why an import stopped before writing anything. */
export class ImportAborted extends Error {
  constructor(readonly shuttingDown: boolean) {
    super(shuttingDown ? 'the server is shutting down' : 'the client went away');
  }
}

/** 503 for an import the shutdown stopped (nothing was written); undefined for any other error. */
export function abortedImportStatus(error: unknown) {
  if (!(error instanceof ImportAborted)) return undefined;
  const why = error.shuttingDown ? 'the server is shutting down' : 'the client went away';
  return apiErrors.serviceUnavailable(`${why}: the import was stopped before anything was stored; send it again`, IMPORT_RETRY_AFTER_SECONDS);
}

/**
 * At most IMPORT_MAX_IN_FLIGHT imports run at once. The check runs when the request arrives, before
 * its body is read, so a refused import costs nothing; it gets 429 with Retry-After. Each admitted
 * import carries an AbortSignal that fires when its client goes away or the server starts shutting
 * down, so an import never holds up a shutdown and never writes for a client that is gone.
 */
@Injectable()
export class ImportGate {
  private readonly running = new Map<FastifyRequest['raw'], AbortController>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Draining) private readonly draining: Draining,
  ) {
    draining.onDrain(() => {
      for (const controller of this.running.values()) controller.abort(new ImportAborted(true));
    });
  }

  /** Adds the admission check to every raw-body (import) route. */
  register(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route) => {
      if (!wantsRawBodyRoute(route)) return;
      const own = route.onRequest ? ([] as unknown[]).concat(route.onRequest) : [];
      route.onRequest = [...own, (request: FastifyRequest, reply: FastifyReply) => this.admit(request, reply)] as typeof route.onRequest;
    });
  }

  /** The signal of the import this request is; a fresh, never-aborted one outside the gate (tests). */
  signalFor(request: FastifyRequest): AbortSignal {
    return this.running.get(request.raw)?.signal ?? new AbortController().signal;
  }

  private async admit(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const limit = this.config.importMaxInFlight;
    if (this.running.size >= limit) {
      // The body is never read: close the connection instead of draining an upload of many megabytes.
      void reply.header('connection', 'close');
      throw apiErrors.tooManyRequests(`too many imports in progress (at most ${limit} at a time); retry after ${IMPORT_RETRY_AFTER_SECONDS} seconds`, IMPORT_RETRY_AFTER_SECONDS);
    }
    const controller = new AbortController();
    this.running.set(request.raw, controller);
    reply.raw.once('close', () => {
      this.running.delete(request.raw);
      if (!reply.raw.writableFinished) controller.abort(new ImportAborted(this.draining.active));
    });
  }
}
