import { Module } from '@nestjs/common';
import { ChangeLogRepository } from './change-log.repository';
import { ResourceRepository } from './resource.repository';
import { TokenRepository } from './token.repository';

/** Data access for every kind: the one module that talks to the resources tables. */
@Module({
  providers: [ResourceRepository, ChangeLogRepository, TokenRepository],
  exports: [ResourceRepository, ChangeLogRepository, TokenRepository],
})
export class StoreModule {}
