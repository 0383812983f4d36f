import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldCause, fieldErrors } from './field-error';
import { apiErrors } from './status';

function causesOf(errors: ValidationError[], parent = ''): FieldCause[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => fieldErrors.invalid(field, error.value, message));
    return [...own, ...causesOf(error.children ?? [], field)];
  });
}

/** DTO validation (query strings of the registry routes) with failures as a 400 Status naming each field. */
export function statusValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => {
      const causes = causesOf(errors);
      return apiErrors.badRequest(causes.map((c) => `${c.field}: ${c.message}`).join('; '), causes);
    },
  });
}
