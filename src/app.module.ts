import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { Database } from './database/database';
import { DatabaseModule } from './database/database.module';
import { DiscoveryModule } from './discovery/discovery.module';
import { HealthModule } from './health/health.module';
import { LeasesModule } from './leases/leases.module';
import { ManifestsModule } from './manifests/manifests.module';
import { NamespacesModule } from './namespaces/namespaces.module';
import { ObservabilityModule } from './observability/observability.module';
import { ParsingModule } from './parsing/parsing.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { ResolveModule } from './resolve/resolve.module';
import { ResourcesModule } from './resources/resources.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: Database): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LifecycleModule,
        ObservabilityModule,
        ParsingModule,
        DatabaseModule.forRoot(database),
        HealthModule,
        AuthModule,
        AuditModule,
        ResourcesModule,
        DiscoveryModule,
        NamespacesModule,
        ResolveModule,
        ManifestsModule,
        LeasesModule,
      ],
    };
  }
}
