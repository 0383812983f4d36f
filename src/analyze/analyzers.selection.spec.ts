import { se, we } from '../resolve/test-fixtures';
import { describeCode, row, sel, wl } from './analyze-test-kit';

// Trigger / near-miss tables for MR0001–MR0005, each run through analyzeRegistry and analyzeWrite.

const web = sel('web', 'web');
const dns = sel('dns', 'web', { resolution: 'DNS' });
const ipWe = wl('vm', 'web');
const fqdnWe = wl('vm', 'web', { address: 'vm1.corp.net' });
const unixWe = wl('vm', 'web', { address: 'unix:///var/run/app.sock' });
const emptySelector = sel('empty', 'x', { workloadSelector: { labels: {} } });
const metaLabelled = we('vm', { address: '10.0.0.1', labels: { app: 'db' } }, { labels: { app: 'web' } });
const withPorts = (ports: Record<string, number>) => wl('vm', 'web', { ports });

describe('selection checks', () => {
  describeCode('MR0001', [
    row('selector matching no entry', web, [], true),
    row('selector matching an entry of another namespace only', web, [wl('vm', 'web', {}, 'other')], true),
    row('empty selector (selects nothing)', emptySelector, [ipWe], true),
    row('STATIC selector matching only an FQDN entry', web, [fqdnWe], true),
    row('near miss: selects an IP entry', web, [ipWe], false),
    row('near miss: DNS selector picks the FQDN entry', dns, [fqdnWe], false),
    row('near miss: no workloadSelector', se('plain', { resolution: 'DNS' }), [], false),
  ]);

  describeCode('MR0002', [
    row('no ServiceEntry at all', ipWe, [], true),
    row('labels matching no selector', ipWe, [sel('db', 'db')], true),
    row('only a ServiceEntry of another namespace matches', ipWe, [sel('web', 'web', {}, 'other')], true),
    row('only an empty selector', ipWe, [emptySelector], true),
    row('spec labels overridden by metadata labels', metaLabelled, [sel('db', 'db')], true),
    row('near miss: selected by a STATIC entry', ipWe, [web], false),
    row('near miss: selected through metadata labels', metaLabelled, [web], false),
    row('near miss: selected by resolution NONE (MR0004 reports the ServiceEntry)', ipWe, [sel('n', 'web', { resolution: 'NONE' })], false),
    row('near miss: FQDN entry skipped by STATIC is MR0003 instead', fqdnWe, [web], false),
  ]);

  describeCode('MR0003', [
    row('FQDN entry matched only by STATIC', fqdnWe, [web], true),
    row('unix:// entry matched only by unset (NONE) resolution', unixWe, [sel('n', 'web', { resolution: undefined })], true),
    row('reported on the STATIC ServiceEntry too', web, [fqdnWe], true),
    row('near miss: a DNS entry also selects it', fqdnWe, [web, dns], false),
    row('near miss: DNS_ROUND_ROBIN selects it', fqdnWe, [sel('r', 'web', { resolution: 'DNS_ROUND_ROBIN' })], false),
    row('near miss: IP entry matched by STATIC', ipWe, [web], false),
    row('near miss: FQDN entry whose labels match nothing', fqdnWe, [sel('db', 'db')], false),
    row('near miss: the STATIC entry is in another namespace', fqdnWe, [sel('web', 'web', {}, 'other')], false),
    row('near miss: the DNS ServiceEntry selecting it is not involved', dns, [web, fqdnWe], false),
  ]);

  describeCode('MR0004', [
    row('resolution NONE with a selector', sel('n', 'web', { resolution: 'NONE' }), [], true),
    row('resolution unset (NONE) with a selector that selects', sel('n', 'web', { resolution: undefined }), [ipWe], true),
    row('near miss: NONE without a selector', se('n', { resolution: 'NONE' }), [], false),
    row('near miss: STATIC with a selector', web, [ipWe], false),
  ]);

  const metrics = sel('metrics', 'web', { ports: [{ number: 9090, name: 'metrics', protocol: 'HTTP' }] });
  describeCode('MR0005', [
    row('key naming no port', withPorts({ htp: 8080 }), [web], true),
    row('keys are case-sensitive (Go map lookup)', withPorts({ HTTP: 8080 }), [web], true),
    row('reported on the selecting ServiceEntry too', web, [withPorts({ htp: 8080 })], true),
    row('near miss: key naming the port', withPorts({ http: 8080 }), [web], false),
    row('near miss: key naming a port of another selecting entry', withPorts({ http: 1, metrics: 2 }), [web, metrics], false),
    row('near miss: a key another selecting ServiceEntry declares', web, [withPorts({ http: 1, metrics: 2 }), metrics], false),
    row('reported on every selecting ServiceEntry', metrics, [withPorts({ http: 1, htp: 2 }), web], true),
    row('near miss: unknown key on an unselected entry (MR0002 covers it)', withPorts({ htp: 1 }), [sel('db', 'db')], false),
    row('near miss: the ServiceEntry does not select the entry with the bad key', web, [wl('vm', 'db', { ports: { htp: 1 } })], false),
  ]);
});
