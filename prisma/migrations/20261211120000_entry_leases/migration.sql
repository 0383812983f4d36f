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
) WITH (fillfactor = 70);
-- No index on renew_ms or deadline_ms, and room in every page: a renewal is then a HOT update that
-- writes no index. The reaper scans the table for what is due instead (100,000 rows in milliseconds, once
-- a pass); it finds the expired ones by this index, which renewals do not touch while a lease is live.
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

-- Renews a batch of leases: first one UPDATE of the leases that exist for that incarnation (the hot path:
-- a HOT update, no index written, no join: a lease row exists only while its entry does, see the trigger);
-- then, for the rest, a lease for each entry that exists with that uid (a heartbeat for an entry that is
-- gone renews nothing: the caller answers 404). Answers each renewed lease and whether it had been
-- marked expired (`revived`: then the caller writes Healthy back).
CREATE FUNCTION mr_renew_leases(namespaces text[], names text[], uids uuid[], holders text[], groups text[], durations integer[], renews bigint[])
RETURNS TABLE (namespace text, name text, renew_ms bigint, was_expired boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  renewed int;
BEGIN
  RETURN QUERY
  UPDATE entry_leases AS l SET holder = i.holder, group_name = i.group_name, duration_ms = i.duration_ms,
    renew_ms = GREATEST(l.renew_ms, i.renew_ms), revived = l.expired_ms IS NOT NULL, expired_ms = NULL
  FROM unnest(namespaces, names, uids, holders, groups, durations, renews) AS i(namespace, name, uid, holder, group_name, duration_ms, renew_ms)
  WHERE l.namespace = i.namespace AND l.name = i.name AND l.uid = i.uid
  RETURNING l.namespace, l.name, l.renew_ms, l.revived;
  GET DIAGNOSTICS renewed = ROW_COUNT;
  IF renewed = cardinality(names) THEN RETURN; END IF;
  RETURN QUERY
  INSERT INTO entry_leases AS l (namespace, name, uid, holder, group_name, duration_ms, renew_ms, acquire_ms)
  SELECT i.namespace, i.name, i.uid, i.holder, i.group_name, i.duration_ms, i.renew_ms, i.renew_ms
  FROM unnest(namespaces, names, uids, holders, groups, durations, renews) AS i(namespace, name, uid, holder, group_name, duration_ms, renew_ms)
  JOIN resources r ON r.kind = 'WorkloadEntry' AND r.namespace = i.namespace AND r.name = i.name AND r.uid = i.uid
  WHERE NOT EXISTS (SELECT 1 FROM entry_leases e WHERE e.namespace = i.namespace AND e.name = i.name AND e.uid = i.uid)
  ORDER BY i.namespace, i.name
  ON CONFLICT ON CONSTRAINT entry_leases_pkey DO UPDATE SET
    uid = excluded.uid, holder = excluded.holder, group_name = excluded.group_name, duration_ms = excluded.duration_ms,
    renew_ms = excluded.renew_ms, acquire_ms = excluded.acquire_ms, revived = false, expired_ms = NULL
  RETURNING l.namespace, l.name, l.renew_ms, l.revived;
END
$fn$;
