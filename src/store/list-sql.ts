import { Prisma } from '../generated/prisma/client';
import { KindDefinition } from '../kinds/kind-definition';
import { FieldRequirement } from '../resources/field-selector';
import { LabelRequirement } from '../resources/label-selector';
import type { ListQuery } from './resource.repository';

/** The WHERE clause of a list: kind, namespace, keyset position, label and field selectors. */
export function listConditions(kind: KindDefinition, query: ListQuery): Prisma.Sql[] {
  const conditions = [Prisma.sql`kind = ${kind.kind}`];
  if (query.namespace !== undefined) conditions.push(Prisma.sql`namespace = ${query.namespace}`);
  if (query.after) conditions.push(Prisma.sql`(namespace, name) > (${query.after.namespace}, ${query.after.name})`);
  for (const requirement of query.labels) conditions.push(labelCondition(requirement));
  for (const requirement of query.fields) conditions.push(fieldCondition(requirement));
  return conditions;
}

/** Label selectors run in the database, on the GIN index over `labels` where the operator allows it. */
function labelCondition({ key, operator, values }: LabelRequirement): Prisma.Sql {
  const equals = (value: string) => Prisma.sql`labels @> ${JSON.stringify({ [key]: value })}::jsonb`;
  switch (operator) {
    case 'exists':
      return Prisma.sql`labels ? ${key}`;
    case '!':
      return Prisma.sql`NOT (labels ? ${key})`;
    case 'in':
      return values.length === 1 ? equals(values[0]) : Prisma.sql`labels ->> ${key} IN (${Prisma.join(values)})`;
    case 'notin':
      return values.length === 1
        ? Prisma.sql`NOT (${equals(values[0])})`
        : Prisma.sql`(labels ->> ${key} IS NULL OR labels ->> ${key} NOT IN (${Prisma.join(values)}))`;
  }
}

const FIELD_COLUMNS: Record<string, Prisma.Sql> = {
  'metadata.name': Prisma.sql`name`,
  'metadata.namespace': Prisma.sql`namespace`,
};
export const SUPPORTED_FIELD_SELECTORS = Object.keys(FIELD_COLUMNS);

function fieldCondition({ field, operator, value }: FieldRequirement): Prisma.Sql {
  const column = FIELD_COLUMNS[field];
  return operator === '=' ? Prisma.sql`${column} = ${value}` : Prisma.sql`${column} <> ${value}`;
}
