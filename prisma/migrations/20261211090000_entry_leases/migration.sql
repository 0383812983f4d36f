-- Leases of WorkloadEntries that take heartbeats (registered ones, and hand-made ones once they beat).
-- Renewals are the hottest write path: they touch only this table (never resources, so no
-- resourceVersion, change-log row or watch event), batched by each replica (mr_renew_leases). Times are
-- milliseconds of the application's clock, never Postgres now(), so that tests control them.
CREATE TABLE "entry_leases" (
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uid" UUID NOT NULL,
    "holder" TEXT NOT NULL,
    "group_name" TEXT,
    "duration_ms" INTEGER NOT NULL,
    "renew_ms" BIGINT NOT NULL,
    "deadline_ms" BIGINT GENERATED ALWAYS AS ("renew_ms" + "duration_ms") STORED,
    "acquire_ms" BIGINT NOT NULL,
    "expired_ms" BIGINT,
    -- Set by each renewal: whether it found the lease marked expired (so the caller writes Healthy back).
    "revived" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "entry_leases_pkey" PRIMARY KEY ("namespace", "name")
);
-- The reaper asks for the next deadline among live leases, and for the expired ones.
CREATE INDEX "entry_leases_live_deadline_idx" ON "entry_leases" ("deadline_ms") WHERE "expired_ms" IS NULL;
CREATE INDEX "entry_leases_expired_idx" ON "entry_leases" ("expired_ms") WHERE "expired_ms" IS NOT NULL;

-- Whether the registry as a whole has been accepting heartbeats: every replica touches last_seen (server
-- time, real) about once a second; when it finds last_seen older than the outage gap, nobody was (all
-- replicas down, or the database), and accepting_since_ms moves to now (application clock). No lease
-- expires before accepting_since_ms + its duration.
CREATE TABLE "lease_liveness" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "accepting_since_ms" BIGINT NOT NULL DEFAULT 0,
    "last_seen" TIMESTAMPTZ(3) NOT NULL DEFAULT '-infinity',

    CONSTRAINT "lease_liveness_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "lease_liveness_single_row" CHECK ("id" = 1)
);
INSERT INTO "lease_liveness" ("id") VALUES (1);

-- A WorkloadEntry's lease goes with it, whatever deletes it (DELETE, deletecollection, the reaper, a
-- WorkloadGroup's cascade).
CREATE FUNCTION mr_drop_entry_lease() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM entry_leases l WHERE l.namespace = OLD.namespace AND l.name = OLD.name AND l.uid = OLD.uid;
  RETURN OLD;
END
$fn$;
CREATE TRIGGER "resources_drop_entry_lease" AFTER DELETE ON "resources"
FOR EACH ROW WHEN (OLD.kind = 'WorkloadEntry') EXECUTE FUNCTION mr_drop_entry_lease();

-- Renews a batch of leases in one statement (one transaction, one WAL flush). Only an entry that exists
-- with that uid gets one (a heartbeat for an entry that is gone renews nothing: the caller answers 404).
-- Rows are written in key order, as the reaper locks them; the reaper skips rows a renewal holds, so the
-- two never wait on each other in a cycle. Answers each renewed lease and whether it had been marked
-- expired (`revived`: then the caller writes Healthy back).
CREATE FUNCTION mr_renew_leases(namespaces text[], names text[], uids uuid[], holders text[], groups text[], durations integer[], renews bigint[])
RETURNS TABLE (namespace text, name text, renew_ms bigint, was_expired boolean)
LANGUAGE sql AS $fn$
  INSERT INTO entry_leases AS l (namespace, name, uid, holder, group_name, duration_ms, renew_ms, acquire_ms)
  SELECT i.namespace, i.name, i.uid, i.holder, i.group_name, i.duration_ms, i.renew_ms, i.renew_ms
  FROM unnest(namespaces, names, uids, holders, groups, durations, renews) AS i(namespace, name, uid, holder, group_name, duration_ms, renew_ms)
  JOIN resources r ON r.kind = 'WorkloadEntry' AND r.namespace = i.namespace AND r.name = i.name AND r.uid = i.uid
  ORDER BY i.namespace, i.name
  ON CONFLICT ON CONSTRAINT entry_leases_pkey DO UPDATE SET
    uid = excluded.uid, holder = excluded.holder, group_name = excluded.group_name, duration_ms = excluded.duration_ms,
    renew_ms = CASE WHEN l.uid = excluded.uid THEN GREATEST(l.renew_ms, excluded.renew_ms) ELSE excluded.renew_ms END,
    acquire_ms = CASE WHEN l.uid = excluded.uid THEN l.acquire_ms ELSE excluded.acquire_ms END,
    revived = l.expired_ms IS NOT NULL,
    expired_ms = NULL
  RETURNING l.namespace, l.name, l.renew_ms, l.revived;
$fn$;
