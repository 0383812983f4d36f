import { Injectable } from '@nestjs/common';
import { KindDefinition } from '../kinds/kind-definition';
import { KINDS } from '../kinds/kinds';
import { ServedGroup, ServedGroupVersion, servedGroups } from './group-versions';
import { PublishedDocument, publishedDocuments } from './openapi-v3';

/** What the discovery and OpenAPI routes serve, derived once from KINDS at start-up. */
@Injectable()
export class DiscoveryCatalog {
  readonly kinds: readonly KindDefinition[] = KINDS;
  readonly groups: readonly ServedGroup[] = servedGroups(KINDS);
  readonly openApiDocuments: readonly PublishedDocument[] = publishedDocuments(KINDS, 'mesh-registry');

  group(name: string): ServedGroup | undefined {
    return this.groups.find((g) => g.name === name);
  }

  groupVersion(group: string, version: string): ServedGroupVersion | undefined {
    return this.group(group)?.versions.find((v) => v.version === version);
  }

  openApiDocument(group: string, version: string): PublishedDocument | undefined {
    return this.openApiDocuments.find((doc) => doc.key === `apis/${group}/${version}`);
  }
}
