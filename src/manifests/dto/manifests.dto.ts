import { IsOptionalNamespace, IsOptionalQueryBoolean } from '../../common/kube-validators';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class ManifestQueryDto {
  /** `true`: answer as an attachment (a browser saves it as a file); shown inline by default. */
  @IsOptionalQueryBoolean()
  download?: boolean;
}

export class ExportQueryDto extends ManifestQueryDto {
  /** Only this namespace (all namespaces by default). */
  @IsOptionalNamespace()
  namespace?: string;

  /** Kubernetes label selector, e.g. `app=details-legacy`. */
  @IsOptional()
  @IsString()
  labelSelector?: string;

  /** WorkloadEntry, ServiceEntry, WorkloadGroup (or their plurals), comma-separated; all kinds by default. */
  @IsOptional()
  @IsString()
  kind?: string;
}

export class ImportQueryDto {
  /** `All`: validate everything and report what would happen, store nothing. */
  @IsOptional()
  @IsIn(['All'])
  dryRun?: string;

  /** Namespace of documents that name none (default `default`). */
  @IsOptionalNamespace()
  namespace?: string;
}

export class ImportDocumentReportDto {
  /** Position among the stream's non-empty documents (a List counts as its items), from 0. */
  index!: number;
  kind?: string;
  namespace?: string;
  name?: string;
  result!: 'created' | 'configured' | 'unchanged' | 'failed';
  /** Why the document failed: a Kubernetes Status whose details.causes name the field. */
  status?: Record<string, unknown>;
  /** Istio and registry warnings for this document. */
  warnings?: string[];
}

export class ImportSummaryDto {
  /** Documents in the stream (List items counted one by one). */
  documents!: number;
  created!: number;
  configured!: number;
  unchanged!: number;
  failed!: number;
  /** Failed documents past the first 100, listed without their Status to keep the answer small. */
  failuresWithoutDetail!: number;
}

export class ImportReportDto {
  kind!: 'ImportResult';
  dryRun!: boolean;
  /** True when the changes were stored. */
  applied!: boolean;
  summary!: ImportSummaryDto;
  /** One entry per document, in stream order. */
  results!: ImportDocumentReportDto[];
}
