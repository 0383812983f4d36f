import { Global, Module } from '@nestjs/common';
import { ParsePool } from './parse-pool';

@Global()
@Module({ providers: [ParsePool], exports: [ParsePool] })
export class ParsingModule {}
