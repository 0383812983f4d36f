import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import type { Actor } from './resource.repository';

export interface AuditQuery {
  namespace?: string;
  kind?: string;
  name?: string;
  tokenId?: string;
  /** Only changes older than this revision (the next page). */
  before?: bigint;
  limit: number;
}

export interface AuditRecord {
  resourceVersion: string;
  time: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  kind: string;
  namespace: string;
  name: string;
  uid: string | null;
  actor: Actor | null;
}

/** Who changed what and when, newest first, from the change log (kept for CHANGE_LOG_RETENTION_SECONDS). */
@Injectable()
export class AuditRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  async changes(query: AuditQuery): Promise<AuditRecord[]> {
    const { rows } = await this.database.pool.query<AuditRecord & { time: Date }>(
      `SELECT resource_version::text AS "resourceVersion", created_at AS time, type, kind, namespace, name, uid::text AS uid, actor
       FROM resource_changes
       WHERE type <> 'GAP' AND ($1::text IS NULL OR namespace = $1) AND ($2::text IS NULL OR kind = $2)
         AND ($3::text IS NULL OR name = $3) AND ($4::text IS NULL OR actor ->> 'tokenId' = $4)
         AND ($5::bigint IS NULL OR resource_version < $5)
       ORDER BY resource_version DESC LIMIT $6`,
      [query.namespace ?? null, query.kind ?? null, query.name ?? null, query.tokenId ?? null, query.before?.toString() ?? null, query.limit],
    );
    return rows.map((row) => ({ ...row, time: row.time.toISOString() }));
  }
}
