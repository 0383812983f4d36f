import request from 'supertest';
import { parse } from 'yaml';
import { aWorkloadEntry, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('resource API: JSON and YAML, and malformed requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bodyLimitBytes: 4096 });
  });
  afterAll(() => t.close());

  const yamlBody = `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata:
  name: from-yaml
spec:
  serviceAccount: details-legacy
  address: 2.2.2.2
  labels:
    app: details-legacy
    instance-id: vm1
`;

  it('accepts a YAML body and answers YAML when asked', async () => {
    const res = await request(t.url).post(paths.workloadEntries()).set('content-type', 'application/yaml').set('accept', 'application/yaml').send(yamlBody).expect(201);
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    expect(parse(res.text)).toMatchObject({ kind: 'WorkloadEntry', spec: { address: '2.2.2.2' } });
  });

  it('lists as YAML', async () => {
    const res = await request(t.url).get(paths.workloadEntries()).set('accept', 'application/yaml').expect(200);
    const list = parse(res.text);
    expect(list.kind).toBe('WorkloadEntryList');
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toContain('from-yaml');
  });

  it('answers errors in YAML when only YAML is accepted', async () => {
    const res = await request(t.url).get(paths.workloadEntry('nope')).set('accept', 'application/yaml').expect(404);
    expect(parse(res.text)).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });

  it.each([
    ['malformed JSON', 'application/json', '{"metadata": '],
    ['malformed YAML', 'application/yaml', 'metadata: [unclosed'],
    ['a JSON array', 'application/json', '[1,2]'],
    ['two YAML documents', 'application/yaml', 'a: 1\n---\nb: 2\n'],
  ])('answers %s with a BadRequest Status', async (_what, contentType, body) => {
    const res = await request(t.url).post(paths.workloadEntries()).set('content-type', contentType).send(body).expect(400);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
  });

  it('answers an unknown media type with 415', async () => {
    const res = await request(t.url).post(paths.workloadEntries()).set('content-type', 'text/plain').send('hello').expect(415);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType' });
  });

  it('answers a body over the limit with 413', async () => {
    const big = aWorkloadEntry('big', {}, { annotations: { note: 'x'.repeat(5000) } });
    const res = await request(t.url).post(paths.workloadEntries()).send(big).expect(413);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge', code: 413 });
  });

  it('answers an unknown apiVersion or kind in the body with 400', async () => {
    await request(t.url).post(paths.workloadEntries()).send({ ...aWorkloadEntry('x'), kind: 'ServiceEntry' }).expect(400);
    await request(t.url).post(paths.workloadEntries()).send({ ...aWorkloadEntry('x'), apiVersion: 'networking.istio.io/v9' }).expect(400);
  });
});
