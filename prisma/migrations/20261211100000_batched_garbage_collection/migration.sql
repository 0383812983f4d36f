-- Garbage collection goes a batch a transaction (20261211090000 collected every dependent in the owner's
-- transaction: a group of tens of thousands of entries ran out of lock-table slots, and each dependent's
-- own dependents were searched for). The owner's delete records what is owed (pending_collections) and
-- collects the first batch in its own transaction; later batches each take a transaction of their own, and
-- the record goes with the last one, so a crash at any point leaves a record that any replica resumes (at
-- start-up and on a timer). Dependents are found by kind and namespace (the unique index), among the
-- kinds an owner declares, so the GIN index (a cost on every write of an entry) goes.

-- DropIndex
DROP INDEX "resources_owner_references_idx";

DROP FUNCTION mr_write_collecting(jsonb, boolean, boolean, boolean);
DROP FUNCTION mr_collect_dependents(text, text, text, uuid, boolean, jsonb);

-- CreateTable
CREATE TABLE "pending_collections" (
    "owner_uid" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "dependent_kinds" TEXT[],
    "orphan" BOOLEAN NOT NULL,
    "actor" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_collections_pkey" PRIMARY KEY ("owner_uid")
);

-- One batch of a pending collection: at most `batch` dependents, found through the (kind, namespace, name)
-- index among the dependent kinds, each locked with mr_write's advisory lock (in hash order), read again,
-- then deleted, or rewritten without the reference when orphaning or when another of its owners still
-- exists (Kubernetes keeps a dependent one of whose owners is alive). The record is locked while a batch
-- runs (collectors of one owner take turns) and deleted by the batch that finds fewer than `batch`.
-- Returns {dependents: [{op: delete|update, resourceVersion, current}], done}.
CREATE FUNCTION mr_collect(pending_uid uuid, batch integer) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  p pending_collections;
  ref jsonb;
  dep record;
  cur resources;
  remaining jsonb;
  keep boolean;
  rv bigint;
  seen integer := 0;
  changes jsonb := '[]'::jsonb;
BEGIN
  SELECT * INTO p FROM pending_collections WHERE owner_uid = pending_uid FOR UPDATE;
  IF p.owner_uid IS NULL THEN
    RETURN jsonb_build_object('dependents', changes, 'done', true);
  END IF;
  ref := jsonb_build_array(jsonb_build_object('kind', p.kind, 'name', p.name, 'uid', p.owner_uid::text));
  FOR dep IN
    SELECT r.kind, r.name, hashtextextended(r.kind || '/' || r.namespace || '/' || r.name, 0) AS h
    FROM resources r WHERE r.kind = ANY (p.dependent_kinds) AND r.namespace = p.namespace AND r.owner_references @> ref
    ORDER BY h LIMIT batch
  LOOP
    seen := seen + 1;
    PERFORM pg_advisory_xact_lock(dep.h);
    cur := NULL;
    SELECT * INTO cur FROM resources r
    WHERE r.kind = dep.kind AND r.namespace = p.namespace AND r.name = dep.name AND r.owner_references @> ref;
    CONTINUE WHEN cur.uid IS NULL;
    SELECT COALESCE(jsonb_agg(o), '[]'::jsonb) INTO remaining FROM jsonb_array_elements(cur.owner_references) o
    WHERE NOT (o ->> 'kind' = p.kind AND o ->> 'name' = p.name AND o ->> 'uid' = p.owner_uid::text);
    keep := p.orphan OR EXISTS (
      SELECT 1 FROM jsonb_array_elements(remaining) o JOIN resources r
        ON r.uid = CASE WHEN o ->> 'uid' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (o ->> 'uid')::uuid END
      WHERE r.namespace = p.namespace);
    IF keep THEN
      INSERT INTO resource_changes (resource_version, type, uid, kind, namespace, name, generation,
        creation_timestamp, labels, annotations, owner_references, spec, status, prev_labels, actor)
      VALUES (nextval('resource_changes_resource_version_seq'), 'MODIFIED', cur.uid, cur.kind, cur.namespace,
        cur.name, cur.generation, cur.creation_timestamp, cur.labels, cur.annotations,
        NULLIF(remaining, '[]'::jsonb), cur.spec, cur.status, cur.labels, p.actor)
      RETURNING resource_version INTO rv;
      UPDATE resources SET resource_version = rv, owner_references = NULLIF(remaining, '[]'::jsonb) WHERE uid = cur.uid;
      changes := changes || jsonb_build_object('op', 'update', 'resourceVersion', rv::text, 'current', to_jsonb(cur));
    ELSE
      INSERT INTO resource_changes (resource_version, type, uid, kind, namespace, name, generation,
        creation_timestamp, labels, annotations, owner_references, spec, status, prev_labels, actor)
      VALUES (nextval('resource_changes_resource_version_seq'), 'DELETED', cur.uid, cur.kind, cur.namespace,
        cur.name, cur.generation, cur.creation_timestamp, cur.labels, cur.annotations, cur.owner_references,
        cur.spec, cur.status, cur.labels, p.actor)
      RETURNING resource_version INTO rv;
      DELETE FROM resources WHERE uid = cur.uid;
      changes := changes || jsonb_build_object('op', 'delete', 'resourceVersion', rv::text, 'current', to_jsonb(cur));
    END IF;
  END LOOP;
  IF seen < batch THEN
    DELETE FROM pending_collections WHERE owner_uid = pending_uid;
  END IF;
  RETURN jsonb_build_object('dependents', changes, 'done', seen < batch);
END
$fn$;

-- mr_write, then, for every owner it deleted whose kind `owners` maps to dependent kinds, the record of the
-- collection owed and its first batch, in one statement and so in one transaction. Each such delete's
-- result gains `dependents` and `collected` (false: more batches follow, see mr_collect).
CREATE FUNCTION mr_write_collecting(ops jsonb, atomic boolean, dry boolean, orphan boolean, owners jsonb, batch integer)
RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  results jsonb := mr_write(ops, atomic, dry);
  out jsonb := '[]'::jsonb;
  result jsonb;
  owner jsonb;
  collected jsonb;
  i int;
BEGIN
  FOR i IN 0 .. jsonb_array_length(results) - 1 LOOP
    result := results -> i;
    owner := result -> 'current';
    IF NOT dry AND ops -> i ->> 'op' = 'delete' AND result ->> 'outcome' = 'ok' AND owners ? (owner ->> 'kind') THEN
      INSERT INTO pending_collections (owner_uid, kind, namespace, name, dependent_kinds, orphan, actor)
      VALUES ((owner ->> 'uid')::uuid, owner ->> 'kind', owner ->> 'namespace', owner ->> 'name',
        ARRAY(SELECT jsonb_array_elements_text(owners -> (owner ->> 'kind'))), orphan, ops -> i -> 'actor')
      ON CONFLICT (owner_uid) DO NOTHING;
      collected := mr_collect((owner ->> 'uid')::uuid, batch);
      result := result || jsonb_build_object('dependents', collected -> 'dependents', 'collected', collected -> 'done');
    END IF;
    out := out || jsonb_build_array(result);
  END LOOP;
  RETURN out;
END
$fn$;
