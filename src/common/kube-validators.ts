import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, Matches, MaxLength } from 'class-validator';

/** Kubernetes' DNS-1123 label (namespaces, port names). */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** An optional namespace query parameter: a DNS-1123 label, as Kubernetes namespaces are. */
export const IsOptionalNamespace = () =>
  applyDecorators(
    // The swagger plugin cannot see through a composite decorator, so the schema is stated here.
    ApiPropertyOptional({ type: String, pattern: DNS_1123_LABEL.source, maxLength: 63 }),
    IsOptional(),
    Matches(DNS_1123_LABEL, { message: 'namespace must be a DNS-1123 label' }),
    MaxLength(63),
  );

/** Query strings are text: `true` and `false` become booleans, anything else stays and fails IsBoolean. */
export const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** An optional boolean query parameter (`true` or `false`). */
export const IsOptionalQueryBoolean = () =>
  applyDecorators(ApiPropertyOptional({ type: Boolean }), IsOptional(), Transform(toBoolean), IsBoolean());
