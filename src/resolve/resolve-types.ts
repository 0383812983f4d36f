import { Location, Resolution } from '../kinds/istio-types';

/** Query of `GET /registry/v1/resolve`: everything but `host` is optional. */
export interface ResolveQuery {
  host: string;
  /** Service port number or name; services without it are dropped. */
  port?: number | string;
  /** Caller's namespace: applies `exportTo` visibility. Absent: no visibility filter. */
  namespace?: string;
  /** Caller's `region/zone/subzone`: fills `priority`. Absent: every priority is 0. */
  locality?: string;
  /** Caller's network: decides which network-only entries are reachable through a gateway. */
  network?: string;
  /** Also return health-checked entries that are not Healthy (as `healthy: false`). */
  includeUnhealthy?: boolean;
  /** Add `explain`: why each ServiceEntry/WorkloadEntry of the involved namespaces was not used. */
  explain?: boolean;
}

export interface ResolvedPort {
  number: number;
  name: string;
  protocol?: string;
  targetPort?: number;
}

export interface EndpointSource {
  kind: 'WorkloadEntry' | 'ServiceEntry';
  namespace: string;
  name: string;
  /** Position in `spec.endpoints` for inline endpoints; absent for WorkloadEntries and DNS host endpoints. */
  index?: number;
}

export interface ResolvedEndpoint {
  /** IP, FQDN or unix socket path (prefix stripped, as istiod does); null when only reachable via a gateway. */
  address: string | null;
  /** Service port name → port traffic goes to on this endpoint (0 for unix sockets). */
  ports: Record<string, number>;
  weight: number;
  locality: string | null;
  network: string | null;
  serviceAccount: string | null;
  labels: Record<string, string>;
  healthy: boolean;
  priority: number;
  /** True when the endpoint is in another network than the caller's: traffic goes via that network's gateway. */
  viaGateway: boolean;
  source: EndpointSource;
}

export interface ResolvedService {
  namespace: string;
  /** The ServiceEntry host that matched (the query host, or the winning wildcard). */
  host: string;
  /** Merged ServiceEntries, oldest first (ties by name); the first one's attributes win. */
  serviceEntries: string[];
  location: Location;
  resolution: Resolution;
  ports: ResolvedPort[];
  endpoints: ResolvedEndpoint[];
}

export type ExplainReason =
  | 'host-mismatch'
  | 'less-specific-host'
  | 'not-exported'
  | 'no-matching-port'
  | 'no-service-in-namespace'
  | 'no-workload-selector'
  | 'selector-mismatch'
  | 'dns-only-address'
  | 'resolution-none'
  | 'unhealthy'
  | 'network-only-same-network'
  | 'network-only-no-caller-network'
  | 'dns-round-robin-not-first'
  | 'port-not-in-service';

export interface ExplainEntry {
  kind: 'ServiceEntry' | 'WorkloadEntry';
  namespace: string;
  name: string;
  /** Inline endpoint position when the entry is one endpoint of a used ServiceEntry. */
  index?: number;
  reason: ExplainReason;
  message: string;
}

export interface ResolveResult {
  host: string;
  resourceVersion: string;
  /** Caller's namespace first, then oldest first: a sidecar routes to the first one. */
  services: ResolvedService[];
  explain?: ExplainEntry[];
}
