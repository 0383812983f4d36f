import { negotiateFormat } from '../common/codec';
import { apiErrors } from '../common/status';
import { KINDS } from '../kinds/kinds';
import { parseLabelSelector, SelectorParseError } from '../resources/label-selector';
import { ExportQueryDto } from './dto/manifests.dto';
import { ExportFilter } from './export.service';

/** Export filters from the query: `kind` by kind name or plural, comma-separated; all kinds by default. */
export function exportFilterOf(query: ExportQueryDto): ExportFilter {
  const wanted = query.kind?.split(',').map((k) => k.trim().toLowerCase()).filter(Boolean);
  const kinds = wanted ? KINDS.filter((k) => wanted.includes(k.kind.toLowerCase()) || wanted.includes(k.plural)) : KINDS;
  const unknown = wanted?.filter((w) => !KINDS.some((k) => k.kind.toLowerCase() === w || k.plural === w)) ?? [];
  if (unknown.length > 0) {
    throw apiErrors.badRequest(`kind: Unsupported value: "${unknown[0]}": supported values: ${KINDS.map((k) => `"${k.kind}"`).join(', ')}`);
  }
  try {
    return { namespace: query.namespace, labels: parseLabelSelector(query.labelSelector ?? ''), kinds };
  } catch (error) {
    if (error instanceof SelectorParseError) throw apiErrors.badRequest(`labelSelector: ${error.message}`);
    throw error;
  }
}

/** Export is YAML unless the client prefers JSON. */
export function wantsJsonList(accept: string | undefined): boolean {
  return negotiateFormat(accept, 'yaml') === 'json';
}
