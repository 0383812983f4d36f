-- Writes no longer take one global lock: each write locks only its own key and takes its resourceVersion
-- while inserting its change-log row, in one call of mr_write. Revisions can therefore commit out of
-- order; readers deliver only the contiguous prefix of the log and fill a revision that stays missing
-- (its transaction rolled back) with a GAP row (mr_fill_gap), the way kine does. Reads come from each
-- replica's memory, so the GIN indexes and the denormalised hosts column go.

-- DropIndex
DROP INDEX "resources_labels_idx";

-- DropIndex
DROP INDEX "resources_hosts_idx";

-- AlterTable
ALTER TABLE "resources" DROP COLUMN "hosts",
ADD COLUMN     "owner_references" JSONB;

-- AlterTable: change-log rows carry the object's columns, as the resources row holds them.
ALTER TABLE "resource_changes"
ADD COLUMN     "actor" JSONB,
ADD COLUMN     "annotations" JSONB,
ADD COLUMN     "creation_timestamp" TIMESTAMPTZ(3),
ADD COLUMN     "generation" BIGINT,
ADD COLUMN     "labels" JSONB,
ADD COLUMN     "owner_references" JSONB,
ADD COLUMN     "prev_labels" JSONB,
ADD COLUMN     "spec" JSONB,
ADD COLUMN     "status" JSONB,
ADD COLUMN     "uid" UUID;

UPDATE "resource_changes" SET
  "uid" = ("object" -> 'metadata' ->> 'uid')::uuid,
  "generation" = ("object" -> 'metadata' ->> 'generation')::bigint,
  "creation_timestamp" = ("object" -> 'metadata' ->> 'creationTimestamp')::timestamptz,
  "labels" = COALESCE("object" -> 'metadata' -> 'labels', '{}'::jsonb),
  "annotations" = COALESCE("object" -> 'metadata' -> 'annotations', '{}'::jsonb),
  "spec" = "object" -> 'spec',
  "status" = "object" -> 'status';

ALTER TABLE "resource_changes" DROP COLUMN "object";

-- CreateTable: how far compaction has removed the change log (readers behind it reload in full).
CREATE TABLE "change_log_horizon" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "compacted_through" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "change_log_horizon_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "change_log_horizon_single_row" CHECK ("id" = 1)
);
INSERT INTO "change_log_horizon" ("id", "compacted_through")
SELECT 1, COALESCE(min("resource_version") - 1, 0) FROM "resource_changes";

-- mr_write applies a list of operations (jsonb array) in one transaction and answers one result per
-- operation, in order. Operation: {op: create|update|delete|verify, kind, namespace, name, uid,
-- expectedVersion, expectedUid, row: {generation, creationTimestamp, labels, annotations, ownerReferences,
-- spec, status}, actor}. Result: {outcome: ok|exists|notfound|conflict|unchanged|skipped,
-- resourceVersion, current}. Every key is locked first (advisory lock on its hash, in hash order, so
-- batches cannot deadlock; it also covers names that do not exist yet) and every precondition checked
-- before any revision is taken: a failed precondition never leaves a gap. With atomic, one failure
-- writes nothing (the others answer `skipped`); with dry, the checks run and nothing is written.
CREATE FUNCTION mr_write(ops jsonb, atomic boolean, dry boolean) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  op jsonb;
  lock_key bigint;
  cur resources;
  currents resources[] := '{}';
  outcomes text[] := '{}';
  results jsonb := '[]'::jsonb;
  rv bigint;
  i int;
  failed boolean := false;
BEGIN
  FOR lock_key IN
    SELECT DISTINCT hashtextextended((o ->> 'kind') || '/' || (o ->> 'namespace') || '/' || (o ->> 'name'), 0) AS h
    FROM jsonb_array_elements(ops) o ORDER BY h
  LOOP
    PERFORM pg_advisory_xact_lock(lock_key);
  END LOOP;

  FOR i IN 0 .. jsonb_array_length(ops) - 1 LOOP
    op := ops -> i;
    cur := NULL;
    SELECT * INTO cur FROM resources r
    WHERE r.kind = op ->> 'kind' AND r.namespace = op ->> 'namespace' AND r.name = op ->> 'name';
    currents := currents || cur;
    outcomes := outcomes || CASE
      WHEN op ->> 'op' = 'create' THEN CASE WHEN cur.uid IS NULL THEN 'ok' ELSE 'exists' END
      WHEN cur.uid IS NULL THEN 'notfound'
      WHEN op ? 'expectedVersion' AND cur.resource_version <> (op ->> 'expectedVersion')::bigint THEN 'conflict'
      WHEN op ? 'expectedUid' AND cur.uid <> (op ->> 'expectedUid')::uuid THEN 'conflict'
      WHEN op ->> 'op' = 'verify' THEN 'unchanged'
      ELSE 'ok' END;
    failed := failed OR outcomes[i + 1] NOT IN ('ok', 'unchanged');
  END LOOP;

  FOR i IN 0 .. jsonb_array_length(ops) - 1 LOOP
    op := ops -> i;
    cur := currents[i + 1];
    rv := NULL;
    IF outcomes[i + 1] = 'ok' AND NOT dry AND NOT (atomic AND failed) THEN
      IF op ->> 'op' = 'delete' THEN
        INSERT INTO resource_changes (resource_version, type, uid, kind, namespace, name, generation,
          creation_timestamp, labels, annotations, owner_references, spec, status, prev_labels, actor)
        VALUES (nextval('resource_changes_resource_version_seq'), 'DELETED', cur.uid, cur.kind, cur.namespace,
          cur.name, cur.generation, cur.creation_timestamp, cur.labels, cur.annotations, cur.owner_references,
          cur.spec, cur.status, cur.labels, op -> 'actor')
        RETURNING resource_version INTO rv;
        DELETE FROM resources WHERE uid = cur.uid;
      ELSE
        INSERT INTO resource_changes (resource_version, type, uid, kind, namespace, name, generation,
          creation_timestamp, labels, annotations, owner_references, spec, status, prev_labels, actor)
        VALUES (nextval('resource_changes_resource_version_seq'),
          CASE WHEN op ->> 'op' = 'create' THEN 'ADDED' ELSE 'MODIFIED' END,
          COALESCE(cur.uid, (op ->> 'uid')::uuid), op ->> 'kind', op ->> 'namespace', op ->> 'name',
          (op -> 'row' ->> 'generation')::bigint,
          COALESCE(cur.creation_timestamp, (op -> 'row' ->> 'creationTimestamp')::timestamptz),
          op -> 'row' -> 'labels', op -> 'row' -> 'annotations', NULLIF(op -> 'row' -> 'ownerReferences', 'null'::jsonb),
          op -> 'row' -> 'spec', NULLIF(op -> 'row' -> 'status', 'null'::jsonb), cur.labels, op -> 'actor')
        RETURNING resource_version INTO rv;
        IF op ->> 'op' = 'create' THEN
          INSERT INTO resources (uid, kind, namespace, name, resource_version, generation, creation_timestamp,
            labels, annotations, owner_references, spec, status)
          SELECT c.uid, c.kind, c.namespace, c.name, c.resource_version, c.generation, c.creation_timestamp,
            c.labels, c.annotations, c.owner_references, c.spec, c.status
          FROM resource_changes c WHERE c.resource_version = rv;
        ELSE
          UPDATE resources SET resource_version = rv, generation = (op -> 'row' ->> 'generation')::bigint,
            labels = op -> 'row' -> 'labels', annotations = op -> 'row' -> 'annotations',
            owner_references = NULLIF(op -> 'row' -> 'ownerReferences', 'null'::jsonb), spec = op -> 'row' -> 'spec', status = NULLIF(op -> 'row' -> 'status', 'null'::jsonb)
          WHERE uid = cur.uid;
        END IF;
      END IF;
    END IF;
    results := results || jsonb_build_object(
      'outcome', CASE WHEN atomic AND failed AND outcomes[i + 1] = 'ok' THEN 'skipped' ELSE outcomes[i + 1] END,
      'resourceVersion', COALESCE(rv, cur.resource_version)::text,
      'current', CASE WHEN cur.uid IS NULL THEN NULL ELSE to_jsonb(cur) END);
  END LOOP;
  RETURN results;
END
$fn$;

-- The pessimistic half of an update that lost a race: inside a transaction, lock one key (the lock
-- mr_write takes) and read its current row, so that the caller's next mr_write cannot lose again.
CREATE FUNCTION mr_lock(kind text, namespace text, name text) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  cur resources;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(kind || '/' || namespace || '/' || name, 0));
  SELECT * INTO cur FROM resources r WHERE r.kind = mr_lock.kind AND r.namespace = mr_lock.namespace AND r.name = mr_lock.name;
  RETURN CASE WHEN cur.uid IS NULL THEN NULL ELSE to_jsonb(cur) END;
END
$fn$;

-- Fills a revision that stayed missing. If the transaction holding it is still running, the insert
-- waits for it (its change-log row is inserted the moment it takes the revision) and then does nothing,
-- so a fill never replaces a real change; it waits at most `wait_ms`. Only revisions already handed out
-- and not yet compacted can be filled. Returns true when it filled.
CREATE FUNCTION mr_fill_gap(missing bigint, wait_ms integer) RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
  filled int;
BEGIN
  PERFORM set_config('lock_timeout', wait_ms::text, true);
  INSERT INTO resource_changes (resource_version, type, kind, namespace, name)
  SELECT missing, 'GAP', '', '', '' FROM change_log_horizon h
  WHERE missing > h.compacted_through AND missing < (SELECT last_value FROM resource_changes_resource_version_seq)
  ON CONFLICT (resource_version) DO NOTHING;
  GET DIAGNOSTICS filled = ROW_COUNT;
  RETURN filled = 1;
END
$fn$;
