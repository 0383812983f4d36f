import { defineConfig } from 'prisma/config';

// The service applies migrations itself at start-up (src/database/migration-runner.ts); this file is for
// Prisma's own CLI where its schema engine is available (`npx prisma migrate deploy|status`).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/mesh_registry' },
});
