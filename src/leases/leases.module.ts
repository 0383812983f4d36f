import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CacheModule } from '../cache/cache.module';
import { StoreModule } from '../store/store.module';
import { LeaseReaper } from './lease-reaper.service';
import { LeaseService } from './lease.service';
import { OnboardingController } from './onboarding.controller';
import { RegistrationService } from './registration.service';

/** VM onboarding: registration on boot, leases and heartbeats, expiry (one replica at a time). */
@Module({
  imports: [StoreModule, CacheModule, AuthModule],
  controllers: [OnboardingController],
  providers: [LeaseService, RegistrationService, LeaseReaper],
  exports: [LeaseService, LeaseReaper],
})
export class LeasesModule {}
