import { Inject, Injectable } from '@nestjs/common';
import { KubeObject } from '../common/kube-object';
import { Database } from '../database/database';
import { Prisma } from '../generated/prisma/client';
import { KindDefinition } from '../kinds/kind-definition';
import type { ChangeType } from './resource.repository';
import { rowToObject } from './resource-row';

export interface Change {
  resourceVersion: string;
  type: ChangeType;
  object: KubeObject;
}

/**
 * Reads of the change log that ResourceRepository appends to with every write: a consistent snapshot
 * to start from, the changes after a revision, and compaction.
 */
@Injectable()
export class ChangeLogRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  private get prisma() {
    return this.database.prisma;
  }

  /** Every object of the given kinds with the resourceVersion they are current at, from one snapshot. */
  async snapshot(kinds: readonly KindDefinition[]): Promise<{ objects: KubeObject[]; resourceVersion: string }> {
    const byName = new Map(kinds.map((k) => [k.kind, k]));
    const [rows, [{ rv }]] = await this.prisma.$transaction(
      [
        this.prisma.resource.findMany({ where: { kind: { in: [...byName.keys()] } } }),
        this.prisma.$queryRaw<{ rv: bigint | null }[]>`SELECT max(resource_version) AS rv FROM resource_changes`,
      ],
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    );
    return { objects: rows.map((row) => rowToObject(byName.get(row.kind)!, row)), resourceVersion: String(rv ?? 0n) };
  }

  /** Changes after `resourceVersion`, oldest first; `complete` is false when compaction removed some. */
  async changesAfter(resourceVersion: string, limit: number): Promise<{ changes: Change[]; complete: boolean }> {
    const after = BigInt(resourceVersion);
    const [rows, [{ oldest }]] = await this.prisma.$transaction([
      this.prisma.resourceChange.findMany({ where: { resourceVersion: { gt: after } }, orderBy: { resourceVersion: 'asc' }, take: limit }),
      this.prisma.$queryRaw<{ oldest: bigint | null }[]>`SELECT min(resource_version) AS oldest FROM resource_changes`,
    ]);
    return {
      changes: rows.map((row) => ({ resourceVersion: row.resourceVersion.toString(), type: row.type as ChangeType, object: row.object as unknown as KubeObject })),
      complete: oldest === null || oldest <= after + 1n,
    };
  }

  /** Drops change-log rows older than `before`, always keeping the newest (it carries the current revision). */
  async compactChanges(before: Date): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM resource_changes
      WHERE created_at < ${before} AND resource_version < (SELECT max(resource_version) FROM resource_changes)`;
  }
}
