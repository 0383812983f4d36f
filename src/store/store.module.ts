import { Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { ChangeLogRepository } from './change-log.repository';
import { ResourceRepository } from './resource.repository';
import { TokenRepository } from './token.repository';
import { LeaseRepository } from './lease.repository';

/** Data access for every kind: the one module that talks to the resources tables. */
@Module({
  providers: [ResourceRepository, ChangeLogRepository, TokenRepository, AuditRepository, LeaseRepository],
  exports: [ResourceRepository, ChangeLogRepository, TokenRepository, AuditRepository, LeaseRepository],
})
export class StoreModule {}
