import { KubeObject } from '../common/kube-object';

/** networking.istio.io/v1 WorkloadEntry spec (istio/api networking/v1alpha3/workload_entry.proto). */
export interface WorkloadEntrySpec {
  address?: string;
  ports?: Record<string, number>;
  labels?: Record<string, string>;
  network?: string;
  locality?: string;
  weight?: number;
  serviceAccount?: string;
}

export interface IstioCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
  observedGeneration?: number | string;
}

export interface IstioStatus {
  conditions?: IstioCondition[];
  observedGeneration?: number | string;
  validationMessages?: unknown[];
  [key: string]: unknown;
}

export const LOCATIONS = ['MESH_EXTERNAL', 'MESH_INTERNAL'] as const;
export type Location = (typeof LOCATIONS)[number];

export const RESOLUTIONS = ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export interface ServicePort {
  number: number;
  protocol?: string;
  name: string;
  targetPort?: number;
}

/** networking.istio.io/v1 ServiceEntry spec (istio/api networking/v1alpha3/service_entry.proto). */
export interface ServiceEntrySpec {
  hosts: string[];
  addresses?: string[];
  ports?: ServicePort[];
  location?: Location;
  resolution?: Resolution;
  endpoints?: WorkloadEntrySpec[];
  workloadSelector?: { labels?: Record<string, string> };
  exportTo?: string[];
  subjectAltNames?: string[];
}

/** networking.istio.io/v1 WorkloadGroup spec (istio/api networking/v1alpha3/workload_group.proto). */
export interface WorkloadGroupSpec {
  /** Labels and annotations every entry of the group gets. */
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  /** The entry each registered workload is made from (without address: each gets its own). */
  template?: WorkloadEntrySpec;
  probe?: ReadinessProbe;
}

/** How a workload's health is checked: exactly one method, and the timing numbers. */
export interface ReadinessProbe {
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  httpGet?: { path?: string; port?: number; host?: string; scheme?: string; httpHeaders?: { name?: string; value?: string }[] };
  tcpSocket?: { host?: string; port?: number };
  exec?: { command?: string[] };
  grpc?: { port?: number; service?: string };
}

export type WorkloadEntry = KubeObject<WorkloadEntrySpec, IstioStatus>;
export type WorkloadGroup = KubeObject<WorkloadGroupSpec, IstioStatus>;
export type ServiceEntry = KubeObject<ServiceEntrySpec, IstioStatus>;

/** Annotation that makes a WorkloadEntry's `Healthy` condition decide whether it receives traffic. */
export const HEALTH_CHECKS_ENABLED_ANNOTATION = 'proxy.istio.io/health-checks-enabled';
