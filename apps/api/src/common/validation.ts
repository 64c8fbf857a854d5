import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

export interface FieldDetail {
  field: string;
  message: string;
}

/** Flattens class-validator's tree into `{ field: 'subject.aNumber', message }` entries. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldDetail[] {
  return errors.flatMap((e) => {
    const field = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message: message.replace(/^property (\S+) should not exist$/, 'unknown field: remove it') }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    // An unknown field is an error, not silently dropped: it stops mass assignment (a jail posting `role`).
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const fields = [...new Set(details.map((d) => d.field))];
      return new BadRequestException({ message: `Invalid input: ${fields.join(', ')}.`, details });
    },
  });
}
