import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Database } from './database';

/**
 * Provides the Database that createApp opened before Nest built the application, so that a server that
 * cannot start or be migrated stops start-up with its own message rather than inside Nest's module loading.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  static forRoot(database: Database): DynamicModule {
    return { module: DatabaseModule, providers: [{ provide: Database, useValue: database }], exports: [Database] };
  }

  constructor(@Inject(Database) private readonly database: Database) {}

  // Runs after the HTTP server has stopped and in-flight requests have finished.
  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
