import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { ResourceRow, ROW_COLUMNS } from './resource-row';

export const CHANGES_CHANNEL = 'mesh_registry_changes';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One row of the change log. GAP rows stand for revisions no write took (see mr_fill_gap). */
export interface ChangeRow {
  resourceVersion: bigint;
  type: ChangeType | 'GAP';
  row: ResourceRow;
  previousLabels?: Record<string, string>;
}

export interface Snapshot {
  /** How many rows were handed to the caller. */
  count: number;
  /**
   * Where the change log is to be followed from: every revision up to it is in `rows`. Revisions above
   * it may be in `rows` too (those committed before a lower one); applying them again must be a no-op.
   */
  resourceVersion: bigint;
}

const SNAPSHOT_BATCH = 5000;

/** Reads of the change log that mr_write appends to, its gaps, its compaction. */
@Injectable()
export class ChangeLogRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  /**
   * Every stored object, handed to `onRows` a batch at a time (a million rows are never in memory at once
   * as rows), and the revision to follow the log from, in one snapshot. That revision is the end of the
   * log's contiguous prefix: a revision missing below the newest one may still commit (its writer is
   * running), so following must start before it.
   */
  async snapshot(kinds: readonly string[], onRows: (rows: ResourceRow[]) => void): Promise<Snapshot> {
    const client = await this.database.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // `contiguous`: the last revision before the first one missing (if any is missing below the newest).
      const { rows: [edge] } = await client.query<{ horizon: string; newest: string | null; contiguous: string | null }>(`
        SELECT h.compacted_through AS horizon, (SELECT max(resource_version) FROM resource_changes) AS newest,
          (SELECT min(c.resource_version) FROM (
             SELECT h.compacted_through AS resource_version
             UNION ALL SELECT resource_version FROM resource_changes WHERE resource_version > h.compacted_through
           ) c
           WHERE c.resource_version < (SELECT max(resource_version) FROM resource_changes)
             AND NOT EXISTS (SELECT 1 FROM resource_changes n WHERE n.resource_version = c.resource_version + 1)
          ) AS contiguous
        FROM change_log_horizon h`);
      await client.query(`DECLARE objects NO SCROLL CURSOR FOR SELECT ${ROW_COLUMNS} FROM resources WHERE kind = ANY($1)`, [kinds]);
      let count = 0;
      for (;;) {
        const batch = await client.query<ResourceRow>(`FETCH ${SNAPSHOT_BATCH} FROM objects`);
        onRows(batch.rows);
        count += batch.rows.length;
        if (batch.rows.length < SNAPSHOT_BATCH) break;
      }
      await client.query('COMMIT');
      const follow = edge.contiguous ?? edge.newest ?? edge.horizon;
      return { count, resourceVersion: BigInt(follow) };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Up to `limit` rows after `after`, oldest first, and how far compaction has removed the log. */
  async changesAfter(after: bigint, limit: number): Promise<{ compactedThrough: bigint; changes: ChangeRow[] }> {
    const { rows } = await this.database.pool.query<RawChange>(
      `SELECT h.compacted_through AS "compactedThrough", c.* FROM change_log_horizon h
       LEFT JOIN LATERAL (
         SELECT type, prev_labels AS "previousLabels", ${ROW_COLUMNS} FROM resource_changes
         WHERE resource_version > $1 ORDER BY resource_version LIMIT $2
       ) c ON true`,
      [after.toString(), limit],
    );
    const compactedThrough = BigInt(rows[0]?.compactedThrough ?? 0);
    const changes = rows
      .filter((raw) => raw.type !== null)
      .map(({ compactedThrough: _h, type, previousLabels, ...row }) => ({
        resourceVersion: BigInt(row.resourceVersion),
        type: type!,
        row,
        ...(previousLabels ? { previousLabels } : {}),
      }));
    return { compactedThrough, changes };
  }

  /** The newest committed revision: every write acknowledged before this call is at or below it. */
  async newestRevision(): Promise<bigint> {
    const { rows } = await this.database.pool.query<{ rv: string | null }>(
      'SELECT max(resource_version) AS rv FROM resource_changes',
    );
    return BigInt(rows[0].rv ?? 0);
  }

  /** Marks a revision no write took (its transaction rolled back); see mr_fill_gap. */
  async fillGap(missing: bigint, waitMs: number): Promise<boolean> {
    const { rows } = await this.database.pool.query<{ filled: boolean }>(
      'SELECT mr_fill_gap($1, $2) AS filled', [missing.toString(), waitMs],
    );
    return rows[0].filled;
  }

  /**
   * Drops the log's oldest rows: those older than `before`, never past `through` (what this replica has
   * followed, so compaction never opens a hole above a revision still being written), and never the
   * newest row. Compacts by revision, a contiguous prefix, since `created_at` is not in revision order.
   */
  async compact(before: Date, through: bigint): Promise<number> {
    const client = await this.database.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ compacted: string }>(
        `UPDATE change_log_horizon h SET compacted_through = greatest(h.compacted_through, least($2::bigint, b.edge))
         FROM (SELECT max(resource_version) AS edge FROM resource_changes
               WHERE created_at < $1 AND resource_version < (SELECT max(resource_version) FROM resource_changes)) b
         WHERE b.edge IS NOT NULL RETURNING h.compacted_through AS compacted`,
        [before, through.toString()],
      );
      const deleted = rows.length
        ? (await client.query('DELETE FROM resource_changes WHERE resource_version <= $1', [rows[0].compacted])).rowCount ?? 0
        : 0;
      await client.query('COMMIT');
      return deleted;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Wakes the other replicas' feeds; outside any write transaction, so writers never queue on it. */
  async announce(resourceVersion: bigint): Promise<void> {
    await this.database.pool.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, resourceVersion.toString()]);
  }
}

type RawChange = ResourceRow & { compactedThrough: string; type: ChangeRow['type'] | null; previousLabels: Record<string, string> | null };
