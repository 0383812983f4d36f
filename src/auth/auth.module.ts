import { Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { StoreModule } from '../store/store.module';
import { AccessGate } from './access-gate.service';
import { FirstCredential } from './first-credential.service';
import { RegistrationGuard } from './registration-guard.service';
import { SelfReviewController } from './self-review/self-review.controller';
import { TokenCache } from './token-cache.service';
import { TokensController } from './tokens/tokens.controller';
import { TokenService } from './tokens/token.service';

/** Who may do what: tokens, the first credential, and the gate every request passes (global: handlers ask it too). */
@Global()
@Module({
  imports: [StoreModule, CacheModule],
  controllers: [TokensController, SelfReviewController],
  providers: [TokenCache, AccessGate, FirstCredential, TokenService, RegistrationGuard],
  exports: [AccessGate, TokenCache, FirstCredential, RegistrationGuard],
})
export class AuthModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FirstCredential) private readonly firstCredential: FirstCredential,
    @Inject(TokenCache) private readonly tokens: TokenCache,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.security.auth === 'off') return;
    await this.firstCredential.seed();
    await this.tokens.start();
  }
}
