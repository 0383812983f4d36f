import { Inject, Injectable } from '@nestjs/common';
import { matchesFieldSelector } from '../resources/field-selector';
import { matchesLabelSelector } from '../resources/label-selector';
import { parseListOptions, Query } from '../resources/request-options';
import { NamespaceRepository } from '../store/namespace.repository';
import { checkNamespaceName, Namespace, namespaceList, NamespaceList, namespaceObject } from './namespace-object';

/** The field selectors the apiserver supports on namespaces. */
const NAMESPACE_FIELDS = ['metadata.name', 'status.phase'];

const fieldsOf = (namespace: Namespace) => ({ 'metadata.name': namespace.metadata.name, 'status.phase': namespace.status.phase });

@Injectable()
export class NamespacesService {
  constructor(@Inject(NamespaceRepository) private readonly namespaces: NamespaceRepository) {}

  /** Any valid name: it exists (and is Active) whether or not it holds objects yet. */
  async get(name: string): Promise<Namespace> {
    checkNamespaceName(name);
    return namespaceObject(name, (await this.namespaces.usage(name))?.firstCreated);
  }

  /** The namespaces holding objects, filtered by the list's selectors (few enough to filter here). */
  async list(query: Query): Promise<NamespaceList> {
    const { labels, fields } = parseListOptions(query, NAMESPACE_FIELDS);
    const { namespaces, resourceVersion } = await this.namespaces.occupied();
    const items = namespaces
      .map((usage) => namespaceObject(usage.name, usage.firstCreated))
      .filter((ns) => matchesLabelSelector(ns.metadata.labels, labels) && matchesFieldSelector(fieldsOf(ns), fields));
    return namespaceList(items, resourceVersion);
  }
}
