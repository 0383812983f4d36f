-- Garbage collection of owned objects, as Kubernetes does for ownerReferences: deleting an object deletes
-- the objects of its namespace that name it (kind, name and uid) as an owner, in the same transaction as the
-- delete, so no crash can leave them behind; with the Orphan policy they stay and lose that reference.
-- A WorkloadGroup owns the WorkloadEntries registered into it. The index finds the dependents of a uid.

-- CreateIndex
CREATE INDEX "resources_owner_references_idx" ON "resources" USING GIN ("owner_references" jsonb_path_ops);

-- The dependents of one deleted owner: each is locked (mr_write's advisory lock, in hash order), read
-- again, then deleted, or, when orphaning or when another of its owners still exists, rewritten without
-- the reference (Kubernetes keeps a dependent one of whose owners is alive). Deleted dependents' own
-- dependents follow. Returns one entry per change: {op: delete|update, resourceVersion, current (the row
-- before the change)}.
CREATE FUNCTION mr_collect_dependents(owner_kind text, owner_namespace text, owner_name text, owner_uid uuid,
  orphan boolean, actor jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  ref jsonb := jsonb_build_array(jsonb_build_object('kind', owner_kind, 'name', owner_name, 'uid', owner_uid::text));
  dep record;
  cur resources;
  remaining jsonb;
  keep boolean;
  rv bigint;
  changes jsonb := '[]'::jsonb;
BEGIN
  FOR dep IN
    SELECT r.kind, r.name, hashtextextended(r.kind || '/' || r.namespace || '/' || r.name, 0) AS h
    FROM resources r WHERE r.owner_references @> ref AND r.namespace = owner_namespace ORDER BY h
  LOOP
    PERFORM pg_advisory_xact_lock(dep.h);
    cur := NULL;
    SELECT * INTO cur FROM resources r
    WHERE r.kind = dep.kind AND r.namespace = owner_namespace AND r.name = dep.name AND r.owner_references @> ref;
    CONTINUE WHEN cur.uid IS NULL;
    SELECT COALESCE(jsonb_agg(o), '[]'::jsonb) INTO remaining FROM jsonb_array_elements(cur.owner_references) o
    WHERE NOT (o ->> 'kind' = owner_kind AND o ->> 'name' = owner_name AND o ->> 'uid' = owner_uid::text);
    keep := orphan OR EXISTS (
      SELECT 1 FROM jsonb_array_elements(remaining) o JOIN resources r
        ON r.uid = CASE WHEN o ->> 'uid' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (o ->> 'uid')::uuid END
      WHERE r.namespace = owner_namespace);
    IF keep THEN
      INSERT INTO resource_changes (resource_version, type, uid, kind, namespace, name, generation,
        creation_timestamp, labels, annotations, owner_references, spec, status, prev_labels, actor)
      VALUES (nextval('resource_changes_resource_version_seq'), 'MODIFIED', cur.uid, cur.kind, cur.namespace,
        cur.name, cur.generation, cur.creation_timestamp, cur.labels, cur.annotations,
        NULLIF(remaining, '[]'::jsonb), cur.spec, cur.status, cur.labels, actor)
      RETURNING resource_version INTO rv;
      UPDATE resources SET resource_version = rv, owner_references = NULLIF(remaining, '[]'::jsonb) WHERE uid = cur.uid;
      changes := changes || jsonb_build_object('op', 'update', 'resourceVersion', rv::text, 'current', to_jsonb(cur));
    ELSE
      INSERT INTO resource_changes (resource_version, type, uid, kind, namespace, name, generation,
        creation_timestamp, labels, annotations, owner_references, spec, status, prev_labels, actor)
      VALUES (nextval('resource_changes_resource_version_seq'), 'DELETED', cur.uid, cur.kind, cur.namespace,
        cur.name, cur.generation, cur.creation_timestamp, cur.labels, cur.annotations, cur.owner_references,
        cur.spec, cur.status, cur.labels, actor)
      RETURNING resource_version INTO rv;
      DELETE FROM resources WHERE uid = cur.uid;
      changes := (changes || jsonb_build_object('op', 'delete', 'resourceVersion', rv::text, 'current', to_jsonb(cur)))
        || mr_collect_dependents(cur.kind, cur.namespace, cur.name, cur.uid, orphan, actor);
    END IF;
  END LOOP;
  RETURN changes;
END
$fn$;

-- mr_write, then the garbage collection of every object it deleted, in one statement and so in one
-- transaction. Each delete's result gains `dependents` (what mr_collect_dependents changed).
CREATE FUNCTION mr_write_collecting(ops jsonb, atomic boolean, dry boolean, orphan boolean) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  results jsonb := mr_write(ops, atomic, dry);
  out jsonb := '[]'::jsonb;
  result jsonb;
  i int;
BEGIN
  FOR i IN 0 .. jsonb_array_length(results) - 1 LOOP
    result := results -> i;
    IF NOT dry AND ops -> i ->> 'op' = 'delete' AND result ->> 'outcome' = 'ok' THEN
      result := result || jsonb_build_object('dependents', mr_collect_dependents(
        result -> 'current' ->> 'kind', result -> 'current' ->> 'namespace', result -> 'current' ->> 'name',
        (result -> 'current' ->> 'uid')::uuid, orphan, ops -> i -> 'actor'));
    END IF;
    out := out || jsonb_build_array(result);
  END LOOP;
  RETURN out;
END
$fn$;
