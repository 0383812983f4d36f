import { Counter, Histogram, Registry } from 'prom-client';
import { RequestMetrics } from './request-metrics';

const BOUNDS = [0.001, 0.01, 0.1, 1];

/** The same observations through prom-client's own Counter and Histogram, as the registry had them before. */
async function promClientExposition(observations: [string, string, number, number][]): Promise<string> {
  const registry = new Registry();
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests served, by method, route template and status code.', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({ name: 'http_request_duration_seconds', help: 'HTTP request latency, by method and route template.', labelNames: ['method', 'route'], buckets: BOUNDS, registers: [registry] });
  for (const [method, route, status, seconds] of observations) {
    requests.labels(method, route, String(status)).inc();
    latency.labels(method, route).observe(seconds);
  }
  return registry.metrics();
}

describe(RequestMetrics.name, () => {
  it.each<[string, [string, string, number, number][]]>([
    ['nothing recorded', []],
    ['one request', [['GET', '/healthz', 200, 0.0004]]],
    ['values on a bound, between bounds and past the last', [['GET', '/healthz', 200, 0.001], ['GET', '/healthz', 200, 0.05], ['GET', '/healthz', 200, 7]]],
    ['routes and statuses interleaved', [['GET', '/a', 200, 0.01], ['GET', '/b', 200, 0.01], ['GET', '/a', 404, 0.01], ['GET', '/b', 200, 0.02]]],
    ['statuses and methods of one route, and routes needing escapes', [
      ['GET', '/apis/x/:name', 200, 0.002], ['GET', '/apis/x/:name', 404, 0.003], ['PUT', '/apis/x/:name', 409, 0.2], ['GET', 'un"matched\\', 404, 0.0001],
    ]],
  ])('exposes %s exactly as prom-client does', async (_, observations) => {
    const registry = new Registry();
    const metrics = new RequestMetrics(registry, BOUNDS);
    for (const [method, route, status, seconds] of observations) metrics.record(method, route, status, seconds);
    expect(await registry.metrics()).toBe(await promClientExposition(observations));
  });

  it('is emptied by the registry’s reset', async () => {
    const registry = new Registry();
    const metrics = new RequestMetrics(registry, BOUNDS);
    metrics.record('GET', '/healthz', 200, 0.01);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('route="/healthz"');
  });
});
