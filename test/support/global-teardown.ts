import { rm } from 'node:fs/promises';
import type { EmbeddedPostgresHandle } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__embeddedPostgres as
    | { server: EmbeddedPostgresHandle; root: string }
    | undefined;
  if (!state) return;
  await state.server.stop();
  await rm(state.root, { recursive: true, force: true });
}
