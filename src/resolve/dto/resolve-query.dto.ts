import { EXAMPLE_HOST } from '../../docs/example-names';
import { DNS_1123_LABEL, IsOptionalNamespace, toBoolean } from '../../common/kube-validators';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** The patterns of the resolve query, shared with its fast-path pipe (resolve-query.pipe.ts). */
export const RESOLVE_QUERY_PATTERNS = {
  host: /^[A-Za-z0-9*]([-A-Za-z0-9.*]*[A-Za-z0-9.])?$/,
  /** 1..65535, or a DNS-1123 label (a service port name). */
  port: /^(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5]|(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/i,
  namespace: DNS_1123_LABEL,
  resourceVersion: /^\d{1,19}$/,
};

export class ResolveQueryDto {
  /** The host to resolve, e.g. `details.bookinfo.com`; matched exactly first, then against wildcard hosts. */
  @ApiProperty({ example: EXAMPLE_HOST })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(RESOLVE_QUERY_PATTERNS.host, { message: 'host must be a DNS name' })
  host!: string;

  /** Service port number or name; only services with that port are returned, with only that port. */
  @IsOptional()
  @Matches(RESOLVE_QUERY_PATTERNS.port, { message: 'port must be a port number (1-65535) or a port name' })
  port?: string;

  /** The caller's namespace: ServiceEntries not exported to it (`exportTo`) are invisible. */
  @IsOptionalNamespace()
  namespace?: string;

  /** The caller's `region/zone/subzone`: endpoints get `priority` 0 (same subzone) to 3 (other region). */
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  locality?: string;

  /** The caller's network: network-only entries of this network are left out, others are reached via their gateway. */
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  network?: string;

  /** Also return health-checked WorkloadEntries that are not Healthy (with `healthy: false`). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeUnhealthy?: boolean;

  /** Explain why each ServiceEntry and WorkloadEntry of the namespaces involved was not used. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  explain?: boolean;

  /** Answer from an index at least this fresh (e.g. the resourceVersion a write returned); waits up to 2 s. */
  @IsOptional()
  @Matches(RESOLVE_QUERY_PATTERNS.resourceVersion, { message: 'resourceVersion must be a resourceVersion returned by this API' })
  resourceVersion?: string;
}
