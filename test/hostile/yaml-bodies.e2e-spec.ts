import request from 'supertest';
import { aWorkloadEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/** YAML that costs the yaml package far more than its size: each is refused with a 4xx Status, cheaply. */
const WE_HEAD = 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\n';

/** 10,000 anchors, each aliased once: 20 s of CPU in the yaml package's alias resolution before. */
const manyAliases = (n: number) =>
  `${WE_HEAD}metadata: {name: bomb}\nspec:\n  address: 1.1.1.1\n  labels:\n${Array.from({ length: n }, (_, i) => `    a${i}: &a${i} v\n`).join('')}` +
  `status:\n  copies:\n${Array.from({ length: n }, (_, i) => `  - *a${i}\n`).join('')}`;

/** Billion laughs: 9 levels of 9 aliases each, 9^9 strings once expanded. */
const billionLaughs = (name: string) => {
  const lines = ['  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(',')}]`);
  return `${WE_HEAD}metadata: {name: ${name}}\nspec:\n  address: 1.1.1.1\nstatus:\n${lines.join('\n')}\n`;
};

describe('hostile YAML bodies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const postYaml = (body: string) => request(t.url).post(paths.workloadEntries()).set('content-type', 'application/yaml').send(body);
  const importYaml = (body: string) => request(t.url).post('/registry/v1/import').set('content-type', 'application/yaml').send(body);
  const expectStatus = (res: request.Response, code: number, message: RegExp) => {
    expect(res.status).toBe(code);
    expect(res.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code });
    expect(res.body.message).toMatch(message);
  };

  it.each<[string, string, number, RegExp]>([
    ['an undefined alias', `${WE_HEAD}metadata: {name: a}\nspec:\n  address: *nope\n`, 400,
      /^the request body is not valid YAML: the alias \*nope refers to no anchor &nope before it \(at line 5, column 12\)$/],
    ['a self-referencing alias', `${WE_HEAD}metadata: {name: a}\nspec: &s\n  address: 1.1.1.1\n  labels: *s\n`, 400, /refers to a node that contains it/],
    ['billion laughs', billionLaughs('laughs'), 400, /^the request body is refused: the document's aliases expand it to more than 1048576 bytes/],
    ['10,000 distinct aliases', manyAliases(10_000), 400, /^the request body is refused: the document has more than 100 aliases \(the limit per document\)/],
    ['YAML nested 5,000 levels deep', `${WE_HEAD}metadata: {name: a}\nspec: {address: 1.1.1.1}\nstatus: {a: ${'['.repeat(5000)}${']'.repeat(5000)}}\n`, 400,
      /^the request body is refused: the document is nested more than 100 levels deep/],
    ['a duplicate key', `${WE_HEAD}metadata: {name: a}\nspec: {address: 1.1.1.1, address: 2.2.2.2}\n`, 400, /Map keys must be unique/],
  ])('refuses %s on an object route', async (_title, body, code, message) => {
    expectStatus(await postYaml(body), code, message);
    await request(t.url).get(paths.workloadEntry('a')).expect(404);
  });

  it('refuses billion laughs in an import with the same 400 as on an object route, naming the document', async () => {
    const ok = `${WE_HEAD}metadata: {name: fine}\nspec: {address: 1.1.1.1}\n`;
    expectStatus(await importYaml(`${ok}---\n${billionLaughs('laughs')}`), 400, /^document 1: the document's aliases expand it to more than 1048576 bytes/);
    await request(t.url).get(paths.workloadEntry('fine')).expect(404);
  });

  it('reports undefined and self-referencing aliases in an import as failed documents (422), storing nothing', async () => {
    const res = await importYaml(`${WE_HEAD}metadata: {name: x}\nspec: {address: *nope}\n---\n${WE_HEAD}metadata: {name: y}\nspec: &s {labels: *s}\n`);
    expect(res.status).toBe(422);
    expect(res.body.results.map((r: { status: { code: number; message: string } }) => [r.status.code, r.status.message])).toEqual([
      [400, 'document 0: malformed YAML at line 4, column 17: the alias *nope refers to no anchor &nope before it'],
      [400, 'document 1: malformed YAML at line 9, column 19: the alias *s refers to a node that contains it'],
    ]);
  });

  it('still reads the aliases people use, in bodies of every size', async () => {
    const labels = Array.from({ length: 2000 }, (_, i) => `    k${i}: v`).join('\n');
    const body = `${WE_HEAD}metadata:\n  name: shared\n  labels: &l {app: details}\nspec:\n  address: 1.1.1.1\n  labels: *l\nstatus:\n  big:\n${labels}\n`;
    expect(body.length).toBeGreaterThan(16 * 1024); // parsed in a worker
    const res = await postYaml(body).expect(201);
    expect(res.body.spec.labels).toEqual({ app: 'details' });
    await request(t.url).delete(paths.workloadEntry('shared')).expect(200);
    await request(t.url).post(paths.workloadEntries()).send(aWorkloadEntry('json-still-works')).expect(201);
  });
});
