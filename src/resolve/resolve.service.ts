import { Inject, Injectable } from '@nestjs/common';
import { shareAnswer } from '../common/shared-json';
import { apiErrors } from '../common/status';
import { ResolveQueryDto } from './dto/resolve-query.dto';
import { resolveHost, ResolveResult } from './endpoint-resolver';
import { AnswerCache } from './answer-cache';
import { RegistryIndexService } from './registry-index.service';

/** How long a resolve asking for a fresher resourceVersion may wait for this replica's index. */
const FRESHNESS_WAIT_MS = 2000;
/** Distinct questions remembered per index revision. */
const CACHED_ANSWERS = 10_000;

@Injectable()
export class ResolveService {
  private readonly answers = new AnswerCache<ResolveResult>(CACHED_ANSWERS);

  constructor(@Inject(RegistryIndexService) private readonly registry: RegistryIndexService) {}

  /**
   * Synchronous unless `resourceVersion` asks for a fresher index: the common case costs no promise
   * (Nest awaits a returned promise, and a thrown error becomes the same response either way).
   */
  resolve(query: ResolveQueryDto): ResolveResult | Promise<ResolveResult> {
    return query.resourceVersion ? this.resolveFresh(query, query.resourceVersion) : this.resolveNow(query);
  }

  private async resolveFresh(query: ResolveQueryDto, resourceVersion: string): Promise<ResolveResult> {
    if (!(await this.registry.waitFor(resourceVersion, FRESHNESS_WAIT_MS))) {
      throw apiErrors.timeout(`Too large resource version: ${resourceVersion}, current: ${this.registry.resourceVersion}`);
    }
    return this.resolveNow(query);
  }

  private resolveNow(query: ResolveQueryDto): ResolveResult {
    const revision = this.registry.index.resourceVersion;
    const key = questionKey(query);
    const cached = this.answers.get(revision, key);
    if (cached) return cached;
    const port = query.port && /^\d+$/.test(query.port) ? Number(query.port) : query.port;
    const result = resolveHost(this.registry.index, { ...query, port });
    if (!result) {
      const from = query.namespace ? ` visible from namespace "${query.namespace}"` : '';
      throw apiErrors.notFoundMessage(`no ServiceEntry${from} has host "${query.host}"`);
    }
    this.answers.set(revision, key, shareAnswer(result));
    return result;
  }
}

/**
 * Everything an answer depends on besides the index. A question of a host alone (most of them: every
 * sidecar and boot script) is keyed by the host, which never starts with `[` as the other keys do; it
 * spares every such request a JSON.stringify (2 µs of a resolve's 70).
 */
export function questionKey(query: ResolveQueryDto): string {
  const { host, port, namespace, locality, network, includeUnhealthy, explain } = query;
  if (port === undefined && namespace === undefined && locality === undefined && network === undefined && includeUnhealthy !== true && explain !== true) return host;
  return JSON.stringify([host, port, namespace, locality, network, includeUnhealthy === true, explain === true]);
}
