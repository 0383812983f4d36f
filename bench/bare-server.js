#!/usr/bin/env node
'use strict';
/**
 * The yardstick of every benchmark: a bare Nest 12 + Fastify application with nothing of the
 * registry's pipeline (no interceptors, pipes, filters, hooks, logging or metrics).
 *   GET  /bare        → a small JSON object
 *   GET  /bare/headers → the same, carrying the response headers every answer of the service carries (its
 *                       security headers and an X-Request-Id): what those headers alone cost
 *   POST /bare/insert → one raw `pg` INSERT … ON CONFLICT DO NOTHING of the posted object, by its name (needs DATABASE_URL)
 *   POST /bare/renew/:namespace/:name → one raw `pg` UPDATE of that lease row's renew time (entry_leases; bench:leases)
 * Started by the benchmark scripts as a child process, on the same CPU as the service under test.
 * Usage: PORT=… [DATABASE_URL=…] node bench/bare-server.js (after `nest build`: /bare/headers reads dist/)
 */
require('reflect-metadata');
const { Controller, Get, Module, Post, Body, HttpCode, Param, Res } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');
const { Pool } = require('pg');

const pool = process.env.DATABASE_URL ? new Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) : undefined;

// The service's own header set, from its build (bench runs after nest build), so the two cannot drift apart.
const { securityHeadersFor } = require('../dist/common/security-headers');
const { randomUUID } = require('node:crypto');

class BareController {
  bare() {
    return { kind: 'Status', status: 'Success', code: 200 };
  }

  bareWithHeaders(reply) {
    reply.headers({ 'x-request-id': randomUUID(), ...securityHeadersFor('/bare/headers') });
    return { kind: 'Status', status: 'Success', code: 200 };
  }

  async insert(body) {
    const name = body.metadata?.name ?? body.name;
    await pool.query('INSERT INTO bench_bare_rows (name, body) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, body]);
    return { name };
  }

  async renew(namespace, name) {
    const { rowCount } = await pool.query('UPDATE entry_leases SET renew_ms = $3 WHERE namespace = $1 AND name = $2', [namespace, name, Date.now()]);
    return { renewed: rowCount };
  }
}
// The decorators TypeScript would apply, applied by hand (this file is plain JavaScript).
const method = (decorators, name) => {
  const descriptor = Object.getOwnPropertyDescriptor(BareController.prototype, name);
  for (const decorate of decorators) decorate(BareController.prototype, name, descriptor);
};
method([Get('bare')], 'bare');
method([Get('bare/headers')], 'bareWithHeaders');
Res({ passthrough: true })(BareController.prototype, 'bareWithHeaders', 0);
method([Post('bare/insert'), HttpCode(201)], 'insert');
Body()(BareController.prototype, 'insert', 0);
method([Post('bare/renew/:namespace/:name'), HttpCode(200)], 'renew');
Param('namespace')(BareController.prototype, 'renew', 0);
Param('name')(BareController.prototype, 'renew', 1);
Controller()(BareController);

class BareModule {}
Module({ controllers: [BareController] })(BareModule);

async function main() {
  if (pool) {
    await pool.query('CREATE TABLE IF NOT EXISTS bench_bare_rows (name text PRIMARY KEY, body jsonb NOT NULL)');
  }
  const app = await NestFactory.create(BareModule, new FastifyAdapter(), { logger: false });
  await app.listen({ port: Number(process.env.PORT || 0), host: '127.0.0.1' });
  process.stdout.write(`listening ${app.getHttpServer().address().port}\n`);
  process.on('SIGTERM', () => app.close().then(() => pool?.end()).then(() => process.exit(0)));
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
