import { ServiceEntrySpec, WorkloadEntrySpec } from '../kinds/istio-types';
import { IndexedObject } from '../resolve/registry-index';
import { indexWith, se, we } from '../resolve/test-fixtures';
import { analyzeRegistry, analyzeWrite } from './analyzers';
import { Finding, involves } from './finding';

/** Builders and a two-mode harness for the analyzer specs (plain objects, no Nest/Prisma). */

export const HTTP = { number: 80, name: 'http', protocol: 'HTTP' };

/** A WorkloadEntry in `ns` (default `default`) with spec labels `app=<app>`. */
export const wl = (name: string, app: string, spec: WorkloadEntrySpec = {}, ns?: string) =>
  we(name, { address: '10.0.0.1', labels: { app }, ...spec }, { ns });

/** A ServiceEntry selecting `app=<app>` with the given resolution, on port 80/http. */
export const sel = (name: string, app: string, spec: Partial<ServiceEntrySpec> = {}, ns?: string) =>
  se(name, { resolution: 'STATIC', ports: [HTTP], workloadSelector: { labels: { app } }, ...spec }, { ns });

/** A ServiceEntry for `host` with one port `number`/`protocol` (no selector). */
export const svc = (name: string, host: string, protocol: string | undefined, extra: Partial<ServiceEntrySpec> = {}, ns?: string) =>
  se(name, { hosts: [host], resolution: 'DNS', ports: [{ number: 80, name: 'p', ...(protocol ? { protocol } : {}) }], ...extra }, { ns });

export interface Case {
  title: string;
  /** The object whose findings are checked, and the write candidate. */
  subject: IndexedObject;
  /** The rest of the registry. */
  others: IndexedObject[];
  fires: boolean;
}

/** Shorthand for a table row. */
export const row = (title: string, subject: IndexedObject, others: IndexedObject[], fires: boolean): Case => ({
  title,
  subject,
  others,
  fires,
});

export const codesOf = (findings: Finding[]): string[] => findings.map((f) => f.code);

/** Registry-wide findings that involve the subject. */
export const registryFindings = (c: Case): Finding[] =>
  analyzeRegistry(indexWith(...c.others, c.subject)).filter((f) => involves(f, c.subject));

/** The subject written as a create (not yet stored) and as an update of an identical stored copy. */
export function writeFindings(c: Case): { create: Finding[]; update: Finding[] } {
  const candidate = c.subject as Parameters<typeof analyzeWrite>[1];
  return {
    create: analyzeWrite(indexWith(...c.others), candidate),
    update: analyzeWrite(indexWith(...c.others, { ...c.subject }), candidate),
  };
}

/** Runs one table of trigger/near-miss cases for `code` in both modes. */
export function describeCode(code: string, cases: Case[]): void {
  describe(code, () => {
    it.each(cases.map((c) => [c.title, c] as const))('analyzeRegistry: %s', (_title, c) => {
      expect(codesOf(registryFindings(c)).includes(code)).toBe(c.fires);
    });
    it.each(cases.map((c) => [c.title, c] as const))('analyzeWrite: %s', (_title, c) => {
      const { create, update } = writeFindings(c);
      expect(codesOf(create).includes(code)).toBe(c.fires);
      expect(update).toEqual(create);
      expect(create).toEqual(registryFindings(c));
    });
  });
}
