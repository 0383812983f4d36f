import { IsOptionalNamespace } from '../../common/kube-validators';
import { IsOptional, Matches, MaxLength } from 'class-validator';

export class AnalyzeQueryDto {
  /** Only findings that involve an object of this namespace. */
  @IsOptionalNamespace()
  namespace?: string;
}

export class FindingObjectDto {
  kind!: string;
  namespace!: string;
  name!: string;
  /** The field of this object the finding is about. */
  field?: string;
}

export class FindingDto {
  /** Stable code, MR0001..MR0007. */
  code!: string;
  /** Stable name, e.g. ServiceEntrySelectsNothing. */
  name!: string;
  severity!: 'Error' | 'Warning' | 'Info';
  message!: string;
  /** The object the finding is about first, then the others involved. */
  objects!: FindingObjectDto[];
  /** Field of the first object, e.g. spec.workloadSelector. */
  field?: string;
}

export class AnalyzeReportDto {
  /** The registry revision analysed. */
  resourceVersion!: string;
  findings!: FindingDto[];
}
