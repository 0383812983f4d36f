import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Database } from './database';

@Global()
@Module({
  providers: [{ provide: Database, inject: [APP_CONFIG], useFactory: (config: AppConfig) => Database.open(config) }],
  exports: [Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly database: Database) {}

  // Runs after the HTTP server has stopped and in-flight requests have finished.
  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
