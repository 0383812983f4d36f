import request from 'supertest';
import { aWorkloadEntry, GROUP_PATH, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const names = (res: request.Response) => res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name);

describe('resource API: lists, selectors, pagination', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const entries: [string, string, Record<string, string>][] = [
      ['prod', 'web-1', { app: 'web', env: 'prod' }],
      ['prod', 'web-2', { app: 'web', env: 'prod', canary: 'true' }],
      ['prod', 'db-1', { app: 'db', env: 'prod' }],
      ['staging', 'web-1', { app: 'web', env: 'staging' }],
      ['staging', 'cache-1', { app: 'cache' }],
    ];
    for (const [namespace, name, labels] of entries) {
      await request(t.url).post(paths.workloadEntries(namespace)).send(aWorkloadEntry(name, {}, { labels })).expect(201);
    }
  });
  afterAll(() => t.close());

  it('lists a namespace as a WorkloadEntryList, ordered by name', async () => {
    const res = await request(t.url).get(paths.workloadEntries('prod')).expect(200);
    expect(res.body).toMatchObject({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntryList' });
    expect(res.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(res.body.metadata.continue).toBeUndefined();
    expect(names(res)).toEqual(['db-1', 'web-1', 'web-2']);
  });

  it('lists across namespaces', async () => {
    const res = await request(t.url).get(`${GROUP_PATH}/workloadentries`).expect(200);
    expect(res.body.items.map((i: { metadata: { namespace: string; name: string } }) => `${i.metadata.namespace}/${i.metadata.name}`))
      .toEqual(['prod/db-1', 'prod/web-1', 'prod/web-2', 'staging/cache-1', 'staging/web-1']);
  });

  it.each([
    ['app=web', ['prod/web-1', 'prod/web-2', 'staging/web-1']],
    ['app==web,env=prod', ['prod/web-1', 'prod/web-2']],
    ['app!=web', ['prod/db-1', 'staging/cache-1']],
    ['app in (db,cache)', ['prod/db-1', 'staging/cache-1']],
    ['env notin (prod)', ['staging/cache-1', 'staging/web-1']],
    ['canary', ['prod/web-2']],
    ['!env', ['staging/cache-1']],
    ['app=web,!canary', ['prod/web-1', 'staging/web-1']],
  ])('labelSelector %s', async (selector, expected) => {
    const res = await request(t.url).get(`${GROUP_PATH}/workloadentries`).query({ labelSelector: selector }).expect(200);
    expect(res.body.items.map((i: { metadata: { namespace: string; name: string } }) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(expected);
  });

  it.each([
    ['metadata.name=web-1', ['prod/web-1', 'staging/web-1']],
    ['metadata.namespace=staging,metadata.name!=web-1', ['staging/cache-1']],
  ])('fieldSelector %s', async (selector, expected) => {
    const res = await request(t.url).get(`${GROUP_PATH}/workloadentries`).query({ fieldSelector: selector }).expect(200);
    expect(res.body.items.map((i: { metadata: { namespace: string; name: string } }) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(expected);
  });

  it.each([
    ['labelSelector', 'app in (web'],
    ['fieldSelector', 'spec.address=1.2.3.4'],
    ['limit', '-1'],
    ['continue', 'garbage'],
  ])('answers a bad %s with a BadRequest Status', async (param, value) => {
    const res = await request(t.url).get(`${GROUP_PATH}/workloadentries`).query({ [param]: value }).expect(400);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });

  it('pages with limit and continue', async () => {
    const first = await request(t.url).get(`${GROUP_PATH}/workloadentries`).query({ limit: 2 }).expect(200);
    expect(names(first)).toHaveLength(2);
    expect(first.body.metadata.continue).toBeTruthy();
    const second = await request(t.url).get(`${GROUP_PATH}/workloadentries`).query({ limit: 2, continue: first.body.metadata.continue }).expect(200);
    const third = await request(t.url).get(`${GROUP_PATH}/workloadentries`).query({ limit: 2, continue: second.body.metadata.continue }).expect(200);
    expect(third.body.metadata.continue).toBeUndefined();
    expect([...names(first), ...names(second), ...names(third)]).toEqual(['db-1', 'web-1', 'web-2', 'cache-1', 'web-1']);
  });

  it('neither skips nor repeats items that exist throughout, while others write between pages', async () => {
    const ns = 'paging';
    for (let i = 0; i < 20; i++) {
      await request(t.url).post(paths.workloadEntries(ns)).send(aWorkloadEntry(`vm-${String(i).padStart(2, '0')}`)).expect(201);
    }
    const seen: string[] = [];
    let token: string | undefined;
    let page = 0;
    do {
      const res = await request(t.url).get(paths.workloadEntries(ns)).query({ limit: 3, ...(token ? { continue: token } : {}) }).expect(200);
      seen.push(...names(res));
      token = res.body.metadata.continue;
      // Writes around the cursor: new names before and after it, an update, and a delete of a new one.
      await request(t.url).post(paths.workloadEntries(ns)).send(aWorkloadEntry(`aa-new-${page}`)).expect(201);
      await request(t.url).post(paths.workloadEntries(ns)).send(aWorkloadEntry(`zz-new-${page}`)).expect(201);
      await request(t.url).put(paths.workloadEntry('vm-10', ns)).send(aWorkloadEntry('vm-10', { weight: page + 1 })).expect(200);
      await request(t.url).delete(paths.workloadEntry(`aa-new-${page}`, ns)).expect(200);
      page++;
    } while (token);
    const original = seen.filter((n) => n.startsWith('vm-'));
    expect(original).toEqual(Array.from({ length: 20 }, (_, i) => `vm-${String(i).padStart(2, '0')}`));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('deletes a collection by labelSelector and returns what it deleted', async () => {
    for (const name of ['gone-1', 'gone-2', 'kept']) {
      await request(t.url).post(paths.workloadEntries('cleanup')).send(aWorkloadEntry(name, {}, { labels: { sweep: name === 'kept' ? 'no' : 'yes' } })).expect(201);
    }
    const res = await request(t.url).delete(paths.workloadEntries('cleanup')).query({ labelSelector: 'sweep=yes' }).expect(200);
    expect(res.body.kind).toBe('WorkloadEntryList');
    expect(names(res)).toEqual(['gone-1', 'gone-2']);
    expect(names(await request(t.url).get(paths.workloadEntries('cleanup')))).toEqual(['kept']);
  });
});
