import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsOptionalNamespace } from '../../common/kube-validators';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

export class AuditQueryDto {
  /** Only changes in this namespace. */
  @IsOptionalNamespace()
  namespace?: string;

  /** Only this kind (`WorkloadEntry`, or its plural `workloadentries`). */
  @IsOptional()
  @IsString()
  @MaxLength(63)
  kind?: string;

  /** Only the object of this name. */
  @IsOptional()
  @IsString()
  @MaxLength(253)
  name?: string;

  /** Only the changes made with this token (its public id, e.g. `ab12cd`). */
  @IsOptional()
  @Matches(/^[a-z0-9]{6}$/, { message: 'tokenId must be a token id (6 of a-z, 0-9)' })
  tokenId?: string;

  /** At most this many changes, newest first (default 100, at most 1000). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  /** The `metadata.continue` of the previous page. */
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'continue must be the metadata.continue of a previous page' })
  continue?: string;
}
