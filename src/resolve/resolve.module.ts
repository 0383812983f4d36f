import { Module } from '@nestjs/common';
import { RegistryIndexModule } from './registry-index.module';
import { ResolveController } from './resolve.controller';
import { ResolveService } from './resolve.service';

@Module({
  imports: [RegistryIndexModule],
  controllers: [ResolveController],
  providers: [ResolveService],
})
export class ResolveModule {}
