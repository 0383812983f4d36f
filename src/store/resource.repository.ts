import { Inject, Injectable } from '@nestjs/common';
import { KubeObject } from '../common/kube-object';
import { Database } from '../database/database';
import { Prisma } from '../generated/prisma/client';
import { KindDefinition } from '../kinds/kind-definition';
import { FieldRequirement } from '../resources/field-selector';
import { LabelRequirement } from '../resources/label-selector';
import { listConditions } from './list-sql';
import { ObjectKey, rowToObject, ResourceRow, toRowData } from './resource-row';

/** Serialises writes so that resourceVersions commit in order: a change feed never sees N+1 before N. */
const WRITE_LOCK_KEY = 7_243_001;
export const CHANGES_CHANNEL = 'mesh_registry_changes';

export interface ListQuery {
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  /** Keyset pagination: items strictly after this (namespace, name). */
  after?: { namespace: string; name: string };
  limit?: number;
}


export interface PlannedWrite {
  kind: KindDefinition;
  object: KubeObject;
  expected?: string;
}

class PreconditionFailed extends Error {
  constructor(readonly position: number) {
    super(`precondition of write ${position} no longer holds`);
  }
}

export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  /** Set when `limit` cut the list short: the key of the last item returned. */
  last?: { namespace: string; name: string };
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';
type Tx = Prisma.TransactionClient;

/** The only place that talks to the database about resources (every kind shares one table). */
@Injectable()
export class ResourceRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  private get prisma() {
    return this.database.prisma;
  }

  async get(kind: KindDefinition, key: ObjectKey): Promise<KubeObject | undefined> {
    const row = await this.prisma.resource.findUnique({
      where: { kind_namespace_name: { kind: kind.kind, namespace: key.namespace, name: key.name } },
    });
    return row ? rowToObject(kind, row) : undefined;
  }

  async list(kind: KindDefinition, query: ListQuery): Promise<ListPage> {
    const where = Prisma.join(listConditions(kind, query), ' AND ');
    const take = query.limit ? query.limit + 1 : undefined;
    // One snapshot for the items and the list's resourceVersion.
    const [rows, [{ rv }]] = await this.prisma.$transaction(
      [
        this.prisma.$queryRaw<ResourceRow[]>`
          SELECT uid, kind, namespace, name, resource_version AS "resourceVersion", generation,
                 creation_timestamp AS "creationTimestamp", labels, annotations, spec, status, hosts
          FROM resources WHERE ${where} ORDER BY namespace, name ${take ? Prisma.sql`LIMIT ${take}` : Prisma.empty}`,
        this.prisma.$queryRaw<{ rv: bigint | null }[]>`SELECT max(resource_version) AS rv FROM resource_changes`,
      ],
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    );
    const more = query.limit !== undefined && rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const lastRow = page[page.length - 1];
    return {
      items: page.map((row) => rowToObject(kind, row)),
      resourceVersion: String(rv ?? 0n),
      last: more && lastRow ? { namespace: lastRow.namespace, name: lastRow.name } : undefined,
    };
  }

  /** Every object of a kind the filters match, page by page in list order, never all in memory at once. */
  async *iterate(kind: KindDefinition, query: Omit<ListQuery, 'after' | 'limit'>, pageSize = 500): AsyncGenerator<KubeObject> {
    let after: ListQuery['after'];
    do {
      const page = await this.list(kind, { ...query, after, limit: pageSize });
      yield* page.items;
      after = page.last;
    } while (after);
  }

  /**
   * Writes several objects in one transaction: all or none. `expected` is the resourceVersion the
   * caller planned against (undefined: the object must not exist yet). Returns the stored objects, or
   * the position of the first write whose precondition no longer holds (nothing is written then).
   */
  async writeAll(writes: readonly PlannedWrite[]): Promise<KubeObject[] | { conflict: number }> {
    try {
      return await this.transaction(async (tx, nextRevision) => {
        const stored: KubeObject[] = [];
        for (const [position, { kind, object, expected }] of writes.entries()) {
          const current = await this.lockRow(tx, kind, keyOf(object));
          const holds = expected === undefined ? !current : current?.resourceVersion.toString() === expected;
          if (!holds) throw new PreconditionFailed(position);
          const rv = await nextRevision();
          const row = current
            ? await tx.resource.update({ where: { uid: current.uid }, data: toRowData(kind, object, rv) })
            : await tx.resource.create({ data: { ...toRowData(kind, object, rv), uid: object.metadata.uid! } });
          stored.push(await this.recordChange(tx, kind, current ? 'MODIFIED' : 'ADDED', rowToObject(kind, row)));
        }
        return stored;
      });
    } catch (error) {
      if (error instanceof PreconditionFailed) return { conflict: error.position };
      throw error;
    }
  }

  /** Stores a new object; undefined when the name is taken. */
  async create(kind: KindDefinition, object: KubeObject): Promise<KubeObject | undefined> {
    return this.write(async (tx, rv) => {
      const key = keyOf(object);
      if (await this.exists(tx, kind, key)) return undefined;
      const row = await tx.resource.create({ data: { ...toRowData(kind, object, rv), uid: object.metadata.uid! } });
      return this.recordChange(tx, kind, 'ADDED', rowToObject(kind, row));
    });
  }

  /**
   * Compare-and-swap: writes `object` only if the stored resourceVersion still equals `expected`.
   * Returns 'conflict' when it moved on, undefined when the object is gone.
   */
  async update(kind: KindDefinition, object: KubeObject, expected: string): Promise<KubeObject | 'conflict' | undefined> {
    return this.write(async (tx, rv) => {
      const key = keyOf(object);
      const current = await this.lockRow(tx, kind, key);
      if (!current) return undefined;
      if (current.resourceVersion.toString() !== expected) return 'conflict';
      const row = await tx.resource.update({
        where: { uid: current.uid },
        data: toRowData(kind, object, rv),
      });
      return this.recordChange(tx, kind, 'MODIFIED', rowToObject(kind, row));
    });
  }

  /** Deletes when `expected` (if given) still matches; returns the object as it was last stored. */
  async delete(kind: KindDefinition, key: ObjectKey, expected?: string): Promise<KubeObject | 'conflict' | undefined> {
    return this.write(async (tx, rv) => {
      const current = await this.lockRow(tx, kind, key);
      if (!current) return undefined;
      if (expected !== undefined && current.resourceVersion.toString() !== expected) return 'conflict';
      await tx.resource.delete({ where: { uid: current.uid } });
      const gone = rowToObject(kind, { ...current, resourceVersion: rv });
      return this.recordChange(tx, kind, 'DELETED', gone);
    });
  }

  private async write<T>(work: (tx: Tx, rv: bigint) => Promise<T>): Promise<T> {
    return this.transaction(async (tx, nextRevision) => work(tx, await nextRevision()));
  }

  /** One serialised write transaction; `nextRevision` hands out resourceVersions in commit order. */
  private async transaction<T>(work: (tx: Tx, nextRevision: () => Promise<bigint>) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`;
        const nextRevision = async () =>
          (await tx.$queryRaw<{ rv: bigint }[]>`SELECT nextval('resource_changes_resource_version_seq') AS rv`)[0].rv;
        return work(tx, nextRevision);
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  }

  private async exists(tx: Tx, kind: KindDefinition, key: ObjectKey): Promise<boolean> {
    const found = await tx.resource.findUnique({
      where: { kind_namespace_name: { kind: kind.kind, ...key } },
      select: { uid: true },
    });
    return !!found;
  }

  private async lockRow(tx: Tx, kind: KindDefinition, key: ObjectKey): Promise<ResourceRow | undefined> {
    const rows = await tx.$queryRaw<ResourceRow[]>`
      SELECT uid, kind, namespace, name, resource_version AS "resourceVersion", generation,
             creation_timestamp AS "creationTimestamp", labels, annotations, spec, status, hosts
      FROM resources WHERE kind = ${kind.kind} AND namespace = ${key.namespace} AND name = ${key.name} FOR UPDATE`;
    return rows[0];
  }

  /** The change log row and the NOTIFY go out in the write's own transaction, so they exist iff it commits. */
  private async recordChange(tx: Tx, kind: KindDefinition, type: ChangeType, object: KubeObject): Promise<KubeObject> {
    const rv = BigInt(object.metadata.resourceVersion!);
    await tx.resourceChange.create({
      data: {
        resourceVersion: rv,
        kind: kind.kind,
        namespace: object.metadata.namespace!,
        name: object.metadata.name!,
        type,
        object: object as unknown as Prisma.InputJsonValue,
      },
    });
    await tx.$executeRaw`SELECT pg_notify(${CHANGES_CHANNEL}, ${rv.toString()})`;
    return object;
  }
}

const keyOf = (object: KubeObject): ObjectKey => ({ namespace: object.metadata.namespace!, name: object.metadata.name! });

