import { applyDecorators } from '@nestjs/common';
import { IsOptional, Matches, MaxLength } from 'class-validator';

/** An optional namespace query parameter: a DNS-1123 label, as Kubernetes namespaces are. */
export const IsOptionalNamespace = () =>
  applyDecorators(
    IsOptional(),
    Matches(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'namespace must be a DNS-1123 label' }),
    MaxLength(63),
  );
