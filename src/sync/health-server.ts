import { createServer, Server } from 'node:http';
import { SyncRunner } from './sync-runner';

/**
 * The sync's probes and metrics on a port of its own: `/healthz` (the process answers), `/readyz`
 * (see SyncRunner.readiness), `/metrics` (Prometheus), `/status` (clusters, clashes, failing objects).
 * Nothing here can change anything, and nothing here carries a credential.
 */
export function createHealthServer(runner: SyncRunner): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { message: 'only GET' });
    if (path === '/healthz' || path === '/livez') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('ok');
    }
    if (path === '/readyz') {
      const readiness = runner.readiness();
      return json(readiness.ready ? 200 : 503, readiness);
    }
    if (path === '/status') return json(200, runner.status());
    if (path === '/metrics') {
      runner.metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': runner.metrics.registry.contentType });
          res.end(text);
        },
        () => json(500, { message: 'metrics failed' }),
      );
      return;
    }
    json(404, { message: `no route ${path}: /healthz, /readyz, /metrics, /status` });
  });
}
