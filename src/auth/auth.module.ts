import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { StoreModule } from '../store/store.module';
import { AccessGate } from './access-gate.service';
import { FirstCredential } from './first-credential.service';
import { TokenCache } from './token-cache.service';

/** Who may do what: tokens, the first credential, and the gate every request passes. */
@Module({
  imports: [StoreModule, CacheModule],
  providers: [TokenCache, AccessGate, FirstCredential],
  exports: [AccessGate, TokenCache, FirstCredential],
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
