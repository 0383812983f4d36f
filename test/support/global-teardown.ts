import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EmbeddedPostgresHandle } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__embeddedPostgres as
    | { server: EmbeddedPostgresHandle; dataDir: string }
    | undefined;
  if (!state) return;
  await state.server.stop();
  await rm(dirname(state.dataDir), { recursive: true, force: true });
}
