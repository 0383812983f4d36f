import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import { apiErrors } from '../common/status';
import { statusResponses } from '../docs/status-responses';
import { refOf } from '../resources/object-rules';
import { workloadEntryKind } from '../kinds/workload-entry.kind';

const NAMESPACE = ApiParam({ name: 'namespace', example: 'bookinfo', description: 'Namespace of the WorkloadGroup (and of the entries it registers).' });

const leaseSchema = {
  type: 'object',
  description: 'The lease, in coordination.k8s.io Lease words. Heartbeat every renewIntervalSeconds; a lease lapses when now > renewTime + leaseDurationSeconds.',
  properties: {
    holderIdentity: { type: 'string', example: 'a1b2c3', description: 'The registration token id that renews it (or the caller name).' },
    leaseDurationSeconds: { type: 'integer', example: 40, description: 'LEASE_DURATION_SECONDS, or the group annotation registry.mesh.io/lease-duration-seconds (Kubernetes node leases: 40 s).' },
    renewIntervalSeconds: { type: 'integer', example: 10, description: 'Suggested heartbeat interval (a quarter of the duration, as kubelet renews its node Lease).' },
    deregisterAfterSeconds: { type: 'integer', example: 300, description: 'After a lapse, an auto-registered entry is deleted this much later (Consul: DeregisterCriticalServiceAfter).' },
    renewTime: { type: 'string', format: 'date-time', example: '2026-12-01T12:00:00.000000Z' },
    expireTime: { type: 'string', format: 'date-time', example: '2026-12-01T12:00:40.000000Z' },
    heartbeatPath: { type: 'string', example: '/apis/networking.istio.io/v1/namespaces/bookinfo/workloadentries/details-10.0.0.5/heartbeat' },
  },
};

const healthSchema = {
  type: 'object',
  properties: { healthy: { type: 'boolean', description: 'The VM\'s health now (level-triggered); true when omitted.' }, message: { type: 'string', maxLength: 1024, description: 'Why (kept on the Healthy condition).' } },
};

export const onboardingDocs = {
  register: () => applyDecorators(
    ApiOperation({
      operationId: 'registerWorkloadGroupEntry',
      summary: 'Register the calling VM into a WorkloadGroup',
      description:
        'Builds the WorkloadEntry from the group\'s template as istiod\'s auto-registration does: name `<group>-<address with : as ->[-<network>]` ' +
        '(cut from the front to 253 characters), labels template < group metadata < request, annotations `istio.io/autoRegistrationGroup` < group ' +
        'metadata annotations < `proxy.istio.io/health-checks-enabled: "true"` and `registry.mesh.io/registered-by`, an owner reference to the group. ' +
        'With no body the address is the caller\'s source address (the TCP peer; proxies are not trusted). Registering again (a reboot) answers the same entry ' +
        '(200, `result: unchanged`, no new resourceVersion) with a fresh lease. An entry of that name made by hand, by another group or by another token is never taken over (409). ' +
        'Authorized as `create` on `workloadgroups/register`; a registration token registers into its own group only.',
    }),
    NAMESPACE,
    ApiParam({ name: 'name', example: 'details', description: 'The WorkloadGroup.' }),
    ApiBody({
      required: false,
      description: 'Optional: every field defaults (address to the caller\'s).',
      schema: {
        type: 'object',
        properties: {
          address: { type: 'string', example: '10.0.0.5' },
          network: { type: 'string', example: 'vpc-1' },
          locality: { type: 'string', example: 'eu-west1/eu-west1-b' },
          labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'Only keys the registration token allows (allowedLabelKeys).' },
          ports: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Port numbers for the port names the template declares.' },
          weight: { type: 'integer' },
          serviceAccount: { type: 'string', description: 'Must be the template\'s when it sets one.' },
          ...healthSchema.properties,
        },
      },
      examples: {
        address: { summary: 'The VM at 10.0.0.5 (then heartbeat details-10.0.0.5)', value: { address: '10.0.0.5', locality: 'eu-west1/eu-west1-b' } },
        empty: { summary: 'No body: register the caller\'s address', value: {} },
        network: { summary: 'An address on a network of its own', value: { address: '10.0.0.5', network: 'vpc-1' } },
        starting: { summary: 'Registered, not ready yet', value: { address: '10.0.0.6', healthy: false, message: 'warming up' } },
      },
    }),
    ApiResponse({
      status: 201,
      description: 'A new entry, with its lease.',
      schema: { type: 'object', properties: { apiVersion: { type: 'string', example: 'registry.mesh.io/v1' }, kind: { type: 'string', example: 'Registration' }, result: { type: 'string', enum: ['created', 'updated', 'unchanged'] }, workloadEntry: { $ref: '#/components/schemas/WorkloadEntry' }, lease: leaseSchema } },
    }),
    ApiResponse({ status: 200, description: 'The entry this registration made before (updated when the group changed, else unchanged), with a fresh lease.' }),
    ...statusResponses({}, [
      ['No such WorkloadGroup', apiErrors.notFound({ group: 'networking.istio.io', plural: 'workloadgroups', kind: 'WorkloadGroup', name: 'details' })],
      ['The name is taken by an entry this registration did not make', apiErrors.conflict(refOf(workloadEntryKind, 'details-10.0.0.5'), 'registration never takes over an entry it did not make: it was not made by a registration')],
      ['The address gives no valid name', apiErrors.invalid(refOf(workloadEntryKind, 'details-fe80--1%eth0'), [{ field: 'metadata.name', reason: 'FieldValueInvalid', message: 'Invalid value: "details-fe80--1%eth0": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\'' }])],
    ]),
  ),

  heartbeat: () => applyDecorators(
    ApiOperation({
      operationId: 'heartbeatWorkloadEntry',
      summary: 'Renew the lease of a WorkloadEntry, with the VM\'s health',
      description:
        'Renews the lease (answered once it is committed) and sets the entry\'s `Healthy` condition from `healthy`/`message`, written only when it changes: ' +
        'a renewal that changes nothing visible writes nothing visible (no resourceVersion, no watch event). A lapsed lease (Healthy=False, reason LeaseExpired) ' +
        'comes back to life with the next heartbeat. 404 when the entry is gone: register again. POST, PUT and PATCH all work. ' +
        'Authorized as create/update/patch on `workloadentries/heartbeat`; a registration token beats only for its own entries, with its own rate limit.',
    }),
    NAMESPACE,
    ApiParam({ name: 'name', example: 'details-10.0.0.5', description: 'The WorkloadEntry.' }),
    ApiBody({
      required: false,
      schema: healthSchema,
      examples: {
        alive: { summary: 'Alive and healthy (same as no body)', value: {} },
        unhealthy: { summary: 'Alive, failing its check: traffic stops', value: { healthy: false, message: 'HTTP probe on :8080/health answered 503' } },
      },
    }),
    ApiResponse({
      status: 200,
      description: 'Renewed.',
      schema: {
        type: 'object',
        properties: {
          apiVersion: { type: 'string', example: 'registry.mesh.io/v1' }, kind: { type: 'string', example: 'Heartbeat' },
          metadata: { type: 'object', properties: { namespace: { type: 'string' }, name: { type: 'string' }, uid: { type: 'string' }, resourceVersion: { type: 'string' } } },
          lease: leaseSchema,
          health: { type: 'object', properties: { status: { type: 'string', enum: ['True', 'False'] }, reason: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    }),
    ...statusResponses({ 404: 'The entry is gone (deleted, or expired and reaped): register again.' }, [
      ['The entry is gone: register again', apiErrors.notFound(refOf(workloadEntryKind, 'details-10.0.0.5'))],
      ['A malformed body', apiErrors.invalid(refOf(workloadEntryKind, 'details-10.0.0.5'), [{ field: 'healthy', reason: 'FieldValueTypeInvalid', message: 'Invalid value: "yes": must be a boolean' }])],
    ]),
  ),
};
