import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module';
import { AuditController } from './audit.controller';

/** The audit trail: who changed what and when, read from the change log. */
@Module({ imports: [StoreModule], controllers: [AuditController] })
export class AuditModule {}
