/** Response shapes of `GET /registry/v1/resolve` (documentation only: the resolver builds plain objects). */

export class EndpointSourceDto {
  /** WorkloadEntry, or ServiceEntry for inline `endpoints` and the host endpoint of a DNS ServiceEntry. */
  kind!: 'WorkloadEntry' | 'ServiceEntry';
  namespace!: string;
  name!: string;
  /** Position in `spec.endpoints`, for inline endpoints. */
  index?: number;
}

export class ResolvedPortDto {
  number!: number;
  name!: string;
  protocol?: string;
  targetPort?: number;
}

export class ResolvedEndpointDto {
  /** IP, DNS name or unix socket path; null for an entry only reachable through its network's gateway. */
  address!: string | null;
  /** Service port name → the port traffic goes to on this endpoint. */
  ports!: Record<string, number>;
  /** Load-balancing weight (0 counts as 1, as in istiod). */
  weight!: number;
  locality!: string | null;
  network!: string | null;
  serviceAccount!: string | null;
  /** Labels as istiod sees them: spec labels merged with metadata labels, metadata winning. */
  labels!: Record<string, string>;
  healthy!: boolean;
  /** 0 same region/zone/subzone as the caller, 1 same zone, 2 same region, 3 elsewhere. */
  priority!: number;
  /** In another network than the caller's: traffic goes through that network's gateway. */
  viaGateway!: boolean;
  source!: EndpointSourceDto;
}

export class ResolvedServiceDto {
  namespace!: string;
  /** The ServiceEntry host that matched: the queried host, or the most specific wildcard. */
  host!: string;
  /** ServiceEntries merged for this host in this namespace, oldest first. */
  serviceEntries!: string[];
  location!: string;
  resolution!: string;
  ports!: ResolvedPortDto[];
  /** Ordered by priority, then source name. */
  endpoints!: ResolvedEndpointDto[];
}

export class ExplainEntryDto {
  kind!: 'ServiceEntry' | 'WorkloadEntry';
  namespace!: string;
  name!: string;
  index?: number;
  /** e.g. selector-mismatch, unhealthy, dns-only-address, not-exported, network-only-same-network. */
  reason!: string;
  message!: string;
}

export class ResolveResponseDto {
  host!: string;
  /** The registry revision this answer reflects. */
  resourceVersion!: string;
  /** Caller's namespace first, then oldest: a sidecar uses the first. */
  services!: ResolvedServiceDto[];
  /** Only with `explain=true`. */
  explain?: ExplainEntryDto[];
}
