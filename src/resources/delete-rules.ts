import { ApiError, apiErrors } from '../common/status';
import { KindDefinition } from '../kinds/kind-definition';
import { ObjectKey, ResourceRow } from '../store/resource-row';
import { WriteOperation } from '../store/resource.repository';
import { DeleteOptions } from './delete-options';
import { refOf } from './object-rules';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REVISION = /^\d{1,19}$/;
/** Stands for a precondition no stored object can meet, so the database answers `conflict` (or `notfound`). */
const NEVER_UID = '00000000-0000-0000-0000-000000000000';
const NEVER_REVISION = '0';

/** The delete of one object, only in the incarnation (uid) and version the preconditions name. */
export function deleteOperation(kind: KindDefinition, key: ObjectKey, preconditions: DeleteOptions['preconditions']): WriteOperation {
  const { uid, resourceVersion } = preconditions;
  return {
    op: 'delete',
    kind,
    key: { namespace: key.namespace, name: key.name },
    ...(uid !== undefined ? { expectedUid: UUID.test(uid) ? uid : NEVER_UID } : {}),
    ...(resourceVersion !== undefined ? { expectedVersion: REVISION.test(resourceVersion) ? resourceVersion : NEVER_REVISION } : {}),
  };
}

/** The 409 for a delete whose precondition does not hold, worded as the apiserver words it. */
export function deleteConflict(kind: KindDefinition, key: ObjectKey, preconditions: DeleteOptions['preconditions'], current: ResourceRow): ApiError {
  const ref = refOf(kind, key.name);
  if (preconditions.uid !== undefined && preconditions.uid !== current.uid) {
    return apiErrors.conflict(ref, `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.uid}`);
  }
  return apiErrors.conflict(
    ref,
    `the ResourceVersion in the precondition (${preconditions.resourceVersion}) does not match the ResourceVersion in record (${current.resourceVersion}). The object might have been modified`,
  );
}
