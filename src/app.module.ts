import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Logger } from 'pino';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DiscoveryModule } from './discovery/discovery.module';
import { HealthModule } from './health/health.module';
import { ManifestsModule } from './manifests/manifests.module';
import { loggingParams } from './observability/logging';
import { ObservabilityModule } from './observability/observability.module';
import { ParsingModule } from './parsing/parsing.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { ResolveModule } from './resolve/resolve.module';
import { ResourcesModule } from './resources/resources.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggingParams(logger)),
        LifecycleModule,
        ObservabilityModule,
        ParsingModule,
        DatabaseModule,
        HealthModule,
        ResourcesModule,
        DiscoveryModule,
        ResolveModule,
        ManifestsModule,
      ],
    };
  }
}
