import { importReportJsonChunks, ImportReport } from './import-report';

const report = (count: number): ImportReport => ({
  kind: 'ImportResult', dryRun: false, applied: true,
  summary: { documents: count, created: count, configured: 0, unchanged: 0, failed: 0, failuresWithoutDetail: 0 },
  results: Array.from({ length: count }, (_, index) => ({ index, kind: 'WorkloadEntry', namespace: 'ns', name: `vm-${index}`, result: 'created' as const })),
});

describe('importReportJsonChunks', () => {
  it.each([0, 1, 200, 201, 1000])('concatenates to the JSON of a report of %i documents', async (count) => {
    const chunks: string[] = [];
    for await (const chunk of importReportJsonChunks(report(count))) chunks.push(chunk);
    expect(JSON.parse(chunks.join(''))).toEqual(report(count));
    expect(chunks.length).toBe(2 + Math.ceil(count / 200));
  });
});
