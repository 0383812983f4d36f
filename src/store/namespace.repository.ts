import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { Prisma } from '../generated/prisma/client';

/** A namespace as the registry knows it: the path segment of the objects it holds. */
export interface NamespaceUsage {
  name: string;
  /** When its oldest object still stored was created. */
  firstCreated: Date;
}

/**
 * Namespaces are not stored: one exists as long as an object names it. These queries derive them
 * from the objects, for the read-only core v1 Namespace routes kubectl reads.
 */
@Injectable()
export class NamespaceRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  private get prisma() {
    return this.database.prisma;
  }

  /** Every namespace that holds an object, by name, with the revision it was read at (one snapshot). */
  async occupied(): Promise<{ namespaces: NamespaceUsage[]; resourceVersion: string }> {
    const [rows, [{ rv }]] = await this.prisma.$transaction(
      [
        this.prisma.$queryRaw<{ name: string; firstCreated: Date }[]>`
          SELECT namespace AS name, min(creation_timestamp) AS "firstCreated"
          FROM resources GROUP BY namespace ORDER BY namespace`,
        this.prisma.$queryRaw<{ rv: bigint | null }[]>`SELECT max(resource_version) AS rv FROM resource_changes`,
      ],
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    );
    return { namespaces: rows, resourceVersion: String(rv ?? 0n) };
  }

  /** One namespace, or undefined when no object names it. */
  async usage(name: string): Promise<NamespaceUsage | undefined> {
    const [row] = await this.prisma.$queryRaw<{ firstCreated: Date | null }[]>`
      SELECT min(creation_timestamp) AS "firstCreated" FROM resources WHERE namespace = ${name}`;
    return row?.firstCreated ? { name, firstCreated: row.firstCreated } : undefined;
  }
}
