import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { ResourceRow, ROW_COLUMNS } from './resource-row';
import { ResourceRepository, Transaction } from './resource.repository';

/** One renewal as a heartbeat (or a registration) asks for it. */
export interface Renewal {
  namespace: string;
  name: string;
  uid: string;
  holder: string;
  group: string | null;
  durationMs: number;
  renewMs: number;
}

export interface Renewed {
  renewMs: number;
  /** The reaper had marked it expired: the caller writes Healthy back. */
  wasExpired: boolean;
}

/** A lease row as the reaper reads it. */
export interface LeaseRow {
  namespace: string;
  name: string;
  uid: string;
  group: string | null;
  durationMs: number;
  renewMs: number;
  deadlineMs: number;
  expiredMs: number | null;
}

export interface GroupLeaseCount {
  namespace: string;
  group: string;
  total: number;
  lapsed: number;
}

const LEASE_COLUMNS = `l.namespace, l.name, l.uid::text AS uid, l.group_name AS "group", l.duration_ms AS "durationMs",
  l.renew_ms::float8 AS "renewMs", l.deadline_ms::float8 AS "deadlineMs", l.expired_ms::float8 AS "expiredMs"`;
/** Due: past its deadline, and past a full duration after the registry came back ($2). */
const DUE = `l.expired_ms IS NULL AND l.deadline_ms < $1 AND $2::bigint + l.duration_ms < $1`;

const keyOf = (r: { namespace: string; name: string }) => `${r.namespace}/${r.name}`;

/**
 * The lease table (see the migration 20261211090000_entry_leases). Renewals are one statement per batch;
 * the reaper's marks and deletes lock the lease rows they act on, in key order, as renewals do.
 */
@Injectable()
export class LeaseRepository {
  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(ResourceRepository) private readonly resources: ResourceRepository,
  ) {}

  /** Renews a batch (one key at most once); answers the renewed ones by `namespace/name`. */
  async renew(batch: readonly Renewal[]): Promise<Map<string, Renewed>> {
    const column = <T>(pick: (r: Renewal) => T) => batch.map(pick);
    const values = [column((r) => r.namespace), column((r) => r.name), column((r) => r.uid), column((r) => r.holder), column((r) => r.group),
      column((r) => r.durationMs), column((r) => r.renewMs)];
    const sql = 'SELECT * FROM mr_renew_leases($1, $2, $3::uuid[], $4, $5, $6::int[], $7::bigint[])';
    type Row = { namespace: string; name: string; renew_ms: string; was_expired: boolean };
    const { rows } = await this.database.pool.query<Row>(sql, values).catch((error: { code?: string }) => {
      // Two overlapping batches renewing one key in opposite order: the server aborted one; once more.
      if (error.code === '40P01') return this.database.pool.query<Row>(sql, values);
      throw error;
    });
    return new Map(rows.map((row) => [keyOf(row), { renewMs: Number(row.renew_ms), wasExpired: row.was_expired }]));
  }

  /**
   * Touches the liveness row; when nobody touched it for `gapSeconds` (real time, the server's), the
   * registry was down and accepting-since moves to `nowMs`. Answers accepting-since.
   */
  async touchLiveness(nowMs: number, gapSeconds: number): Promise<number> {
    const { rows } = await this.database.pool.query<{ since: string }>(
      `UPDATE lease_liveness SET
         accepting_since_ms = CASE WHEN last_seen < now() - make_interval(secs => $2) THEN $1 ELSE accepting_since_ms END,
         last_seen = now()
       WHERE id = 1 RETURNING accepting_since_ms::text AS since`,
      [nowMs, gapSeconds],
    );
    return Number(rows[0].since);
  }

  async get(namespace: string, name: string): Promise<LeaseRow | undefined> {
    const { rows } = await this.database.pool.query<LeaseRow>(`SELECT ${LEASE_COLUMNS} FROM entry_leases l WHERE l.namespace = $1 AND l.name = $2`, [namespace, name]);
    return rows[0];
  }

  /** The earliest moment a live lease may lapse, among those whose deadline is before `horizonMs`. */
  async nextLapse(horizonMs: number, acceptingSinceMs: number): Promise<number | undefined> {
    const { rows } = await this.database.pool.query<{ at: number | null }>(
      `SELECT min(GREATEST(l.deadline_ms, $2::bigint + l.duration_ms))::float8 AS at FROM entry_leases l
       WHERE l.expired_ms IS NULL AND l.deadline_ms < $1`,
      [horizonMs, acceptingSinceMs],
    );
    return rows[0].at ?? undefined;
  }

  /**
   * In one transaction: locks up to `limit` due leases (skipping rows a renewal holds: it is renewing
   * them), hands them with their entries to `mark`, which writes the entries, and records them expired.
   */
  async markDue(nowMs: number, acceptingSinceMs: number, limit: number, mark: (tx: Transaction, due: { lease: LeaseRow; entry: ResourceRow }[]) => Promise<string[]>): Promise<number> {
    return this.resources.transaction(async (tx) => {
      const leases = await tx.query<LeaseRow>(
        `SELECT ${LEASE_COLUMNS} FROM entry_leases l WHERE ${DUE} ORDER BY l.namespace, l.name LIMIT $3 FOR UPDATE OF l SKIP LOCKED`,
        [nowMs, acceptingSinceMs, limit],
      );
      if (leases.length === 0) return 0;
      const entries = await this.entriesOf(tx, leases);
      const due = leases.flatMap((lease) => {
        const entry = entries.get(keyOf(lease));
        return entry && entry.uid === lease.uid ? [{ lease, entry }] : [];
      });
      const marked = await mark(tx, due);
      if (marked.length === 0) return 0;
      const namespaces = marked.map((key) => key.split('/')[0]);
      const names = marked.map((key) => key.split('/')[1]);
      await tx.query(
        `UPDATE entry_leases l SET expired_ms = $3 FROM unnest($1::text[], $2::text[]) AS i(namespace, name)
         WHERE l.namespace = i.namespace AND l.name = i.name`,
        [namespaces, names, nowMs],
      );
      return marked.length;
    });
  }

  /** Expired leases of auto-registered entries (the candidates for deletion). */
  async expiredRegistered(): Promise<LeaseRow[]> {
    const { rows } = await this.database.pool.query<LeaseRow>(
      `SELECT ${LEASE_COLUMNS} FROM entry_leases l WHERE l.expired_ms IS NOT NULL AND l.group_name IS NOT NULL`,
    );
    return rows;
  }

  /**
   * In one transaction: locks the leases (still expired, skipping those being renewed) and hands their
   * entries to `remove`, which deletes them (their lease rows go with them, by trigger).
   */
  async removeExpired(keys: readonly LeaseRow[], remove: (tx: Transaction, due: { lease: LeaseRow; entry: ResourceRow }[]) => Promise<number>): Promise<number> {
    return this.resources.transaction(async (tx) => {
      const leases = await tx.query<LeaseRow>(
        `SELECT ${LEASE_COLUMNS} FROM entry_leases l JOIN unnest($1::text[], $2::text[], $3::uuid[]) AS i(namespace, name, uid)
           ON l.namespace = i.namespace AND l.name = i.name AND l.uid = i.uid
         WHERE l.expired_ms IS NOT NULL ORDER BY l.namespace, l.name FOR UPDATE OF l SKIP LOCKED`,
        [keys.map((k) => k.namespace), keys.map((k) => k.name), keys.map((k) => k.uid)],
      );
      if (leases.length === 0) return 0;
      const entries = await this.entriesOf(tx, leases);
      const due = leases.flatMap((lease) => {
        const entry = entries.get(keyOf(lease));
        return entry && entry.uid === lease.uid ? [{ lease, entry }] : [];
      });
      return remove(tx, due);
    });
  }

  /** Per group of auto-registered entries: how many leases, how many lapsed (marked or due now). */
  async groupCounts(nowMs: number, acceptingSinceMs: number): Promise<GroupLeaseCount[]> {
    const { rows } = await this.database.pool.query<GroupLeaseCount>(
      `SELECT l.namespace, l.group_name AS "group", count(*)::int AS total,
         count(*) FILTER (WHERE l.expired_ms IS NOT NULL OR (${DUE}))::int AS lapsed
       FROM entry_leases l WHERE l.group_name IS NOT NULL GROUP BY 1, 2`,
      [nowMs, acceptingSinceMs],
    );
    return rows;
  }

  /** Leases by state, for /metrics. */
  async counts(): Promise<{ live: number; expired: number; registered: number }> {
    const { rows } = await this.database.pool.query<{ live: number; expired: number; registered: number }>(
      `SELECT count(*) FILTER (WHERE expired_ms IS NULL)::int AS live, count(*) FILTER (WHERE expired_ms IS NOT NULL)::int AS expired,
         count(*) FILTER (WHERE group_name IS NOT NULL)::int AS registered FROM entry_leases`,
    );
    return rows[0];
  }

  private async entriesOf(tx: Transaction, leases: readonly LeaseRow[]): Promise<Map<string, ResourceRow>> {
    const rows = await tx.query<ResourceRow>(
      `SELECT ${ROW_COLUMNS} FROM resources
       WHERE kind = 'WorkloadEntry' AND (namespace, name) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [leases.map((l) => l.namespace), leases.map((l) => l.name)],
    );
    return new Map(rows.map((row) => [keyOf(row), row]));
  }
}
