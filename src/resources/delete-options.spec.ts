import { ApiError } from '../common/status';
import { parseDeleteOptions } from './delete-options';

const statusOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error.status;
    throw error;
  }
  throw new Error('no error');
};

describe(parseDeleteOptions.name, () => {
  it.each([
    ['no body (kubectl)', undefined, {}, { dryRun: false, preconditions: {} }],
    ['an empty JSON body (client-node, Python)', '', {}, { dryRun: false, preconditions: {} }],
    ['an empty object', {}, {}, { dryRun: false, preconditions: {} }],
    ['DeleteOptions with every field', {
      kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'], gracePeriodSeconds: 0, propagationPolicy: 'Orphan',
      preconditions: { uid: 'u-1', resourceVersion: '7' },
    }, {}, { dryRun: true, gracePeriodSeconds: 0, propagationPolicy: 'Orphan', preconditions: { uid: 'u-1', resourceVersion: '7' } }],
    ['meta.k8s.io/v1 DeleteOptions', { apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions', propagationPolicy: 'Background' }, {},
      { dryRun: false, propagationPolicy: 'Background', preconditions: {} }],
    ['nulls, as some clients serialise unset fields', { dryRun: null, preconditions: null, propagationPolicy: null, gracePeriodSeconds: null }, {},
      { dryRun: false, preconditions: {} }],
    ['options in the query string', undefined, { dryRun: 'All', propagationPolicy: 'Foreground', gracePeriodSeconds: '30' },
      { dryRun: true, propagationPolicy: 'Foreground', gracePeriodSeconds: 30, preconditions: {} }],
    ['orphanDependents=true means Orphan', undefined, { orphanDependents: 'true' }, { dryRun: false, propagationPolicy: 'Orphan', preconditions: {} }],
    ['dryRun in the query beside a body', { propagationPolicy: 'Background' }, { dryRun: 'All' },
      { dryRun: true, propagationPolicy: 'Background', preconditions: {} }],
  ])('accepts %s', (_name, body, query, expected) => {
    expect(parseDeleteOptions(body, query)).toEqual(expected);
  });

  it.each([
    ['a list', [], 400, 'must be a DeleteOptions object'],
    ['another kind', { kind: 'WorkloadEntry' }, 400, 'must be DeleteOptions'],
    ['a wrong apiVersion', { apiVersion: 'apps/v1' }, 400, 'apiVersion must be one of'],
    ['dryRun not a list', { dryRun: 'All' }, 400, 'dryRun must be a list of strings'],
    ['a fractional grace period', { gracePeriodSeconds: 1.5 }, 400, 'gracePeriodSeconds must be an integer'],
    ['a numeric precondition', { preconditions: { resourceVersion: 7 } }, 400, 'preconditions.resourceVersion must be a string'],
  ])('refuses %s with a 400', (_name, body, code, message) => {
    const status = statusOf(() => parseDeleteOptions(body, {}));
    expect(status).toMatchObject({ code, reason: 'BadRequest' });
    expect(status.message).toContain(message);
  });

  it.each([
    ['an unknown propagation policy', { propagationPolicy: 'Later' }, 'propagationPolicy', 'FieldValueNotSupported'],
    ['a dry run other than All', { dryRun: ['Some'] }, 'dryRun', 'FieldValueNotSupported'],
    ['orphanDependents beside propagationPolicy', { orphanDependents: true, propagationPolicy: 'Orphan' }, 'propagationPolicy', 'FieldValueInvalid'],
  ])('refuses %s with a 422 naming the field, as the apiserver does', (_name, body, field, reason) => {
    const status = statusOf(() => parseDeleteOptions(body, {}));
    expect(status).toMatchObject({ code: 422, reason: 'Invalid', details: { kind: 'DeleteOptions', group: 'meta.k8s.io', causes: [{ field, reason }] } });
  });

  it('refuses a malformed grace period in the query string', () => {
    expect(statusOf(() => parseDeleteOptions(undefined, { gracePeriodSeconds: 'soon' }))).toMatchObject({ code: 400 });
  });
});
