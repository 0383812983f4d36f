import ipaddr from 'ipaddr.js';
import { FieldCause } from '../common/field-error';
import { apiErrors, ResourceRef } from '../common/status';
import { MAX_HEALTH_MESSAGE } from './lease-rules';
import { RegistrationInput } from './registration-rules';

/** A register body: every field optional, so an empty POST is a complete registration. */
export interface RegistrationBody extends Partial<RegistrationInput> {
  healthy?: boolean;
  message?: string;
}

export interface HeartbeatBody {
  healthy?: boolean;
  message?: string;
}

const REGISTRATION_FIELDS = ['address', 'network', 'locality', 'labels', 'ports', 'weight', 'serviceAccount', 'healthy', 'message'];
const HEARTBEAT_FIELDS = ['healthy', 'message'];
const MAX_TEXT = 253;

const invalid = (field: string, message: string): FieldCause => ({ field, reason: 'FieldValueInvalid', message });
const typed = (field: string, message: string): FieldCause => ({ field, reason: 'FieldValueTypeInvalid', message });

/** The caller's address as the entry stores it: IPv4-mapped IPv6 (::ffff:10.0.0.5) as plain IPv4. */
export function sourceAddress(ip: string): string {
  return ipaddr.isValid(ip) ? ipaddr.process(ip).toString() : ip;
}

function checkObject(body: unknown, fields: string[], ref: ResourceRef): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw apiErrors.badRequest('the request body must be a JSON object (or empty)');
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !fields.includes(key));
  if (unknown.length > 0) {
    throw apiErrors.invalid(ref, unknown.map((key) => ({ field: key, reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(key)}: supported fields: ${fields.join(', ')}` })));
  }
  return record;
}

function checkHealth(record: Record<string, unknown>, causes: FieldCause[]): void {
  if (record.healthy !== undefined && typeof record.healthy !== 'boolean') causes.push(typed('healthy', `Invalid value: ${JSON.stringify(record.healthy)}: must be a boolean`));
  if (record.message !== undefined && (typeof record.message !== 'string' || record.message.length > MAX_HEALTH_MESSAGE)) {
    causes.push(invalid('message', `must be a string of at most ${MAX_HEALTH_MESSAGE} characters`));
  }
}

const stringMap = (value: unknown, field: string, causes: FieldCause[]) => {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    causes.push(typed(field, 'must be an object of string values'));
  }
};

/** Checks a register body's shape (the entry's own validation checks the values after); 422 naming each bad field. */
export function parseRegistrationBody(body: unknown, ref: ResourceRef): RegistrationBody {
  const record = checkObject(body, REGISTRATION_FIELDS, ref);
  const causes: FieldCause[] = [];
  for (const field of ['address', 'network', 'locality', 'serviceAccount']) {
    const value = record[field];
    if (value !== undefined && (typeof value !== 'string' || value === '' || value.length > MAX_TEXT)) causes.push(invalid(field, `must be a non-empty string of at most ${MAX_TEXT} characters`));
  }
  stringMap(record.labels, 'labels', causes);
  if (record.ports !== undefined) {
    const ports = record.ports;
    if (typeof ports !== 'object' || ports === null || Array.isArray(ports) || Object.values(ports).some((v) => !Number.isInteger(v))) causes.push(typed('ports', 'must be an object of port numbers'));
  }
  if (record.weight !== undefined && !Number.isInteger(record.weight)) causes.push(typed('weight', 'must be an integer'));
  checkHealth(record, causes);
  if (causes.length > 0) throw apiErrors.invalid(ref, causes);
  return record as RegistrationBody;
}

export function parseHeartbeatBody(body: unknown, ref: ResourceRef): HeartbeatBody {
  const record = checkObject(body, HEARTBEAT_FIELDS, ref);
  const causes: FieldCause[] = [];
  checkHealth(record, causes);
  if (causes.length > 0) throw apiErrors.invalid(ref, causes);
  return record as HeartbeatBody;
}
