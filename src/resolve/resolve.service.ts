import { Inject, Injectable } from '@nestjs/common';
import { apiErrors } from '../common/status';
import { ResolveQueryDto } from './dto/resolve-query.dto';
import { resolveHost, ResolveResult } from './endpoint-resolver';
import { RegistryIndexService } from './registry-index.service';

/** How long a resolve asking for a fresher resourceVersion may wait for this replica's index. */
const FRESHNESS_WAIT_MS = 2000;

@Injectable()
export class ResolveService {
  constructor(@Inject(RegistryIndexService) private readonly registry: RegistryIndexService) {}

  async resolve(query: ResolveQueryDto): Promise<ResolveResult> {
    if (query.resourceVersion && !(await this.registry.waitFor(query.resourceVersion, FRESHNESS_WAIT_MS))) {
      throw apiErrors.timeout(`Too large resource version: ${query.resourceVersion}, current: ${this.registry.resourceVersion}`);
    }
    const port = query.port && /^\d+$/.test(query.port) ? Number(query.port) : query.port;
    const result = resolveHost(this.registry.index, { ...query, port });
    if (!result) {
      const from = query.namespace ? ` visible from namespace "${query.namespace}"` : '';
      throw apiErrors.notFoundMessage(`no ServiceEntry${from} has host "${query.host}"`);
    }
    return result;
  }
}
