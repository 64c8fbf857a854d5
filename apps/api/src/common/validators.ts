import { registerDecorator, ValidationOptions } from 'class-validator';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO 8601 date-time; without an offset it is read as local time at the facility concerned. */
export function IsInstant(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an ISO 8601 date-time, e.g. 2017-02-01T14:00:00Z or 2017-02-01T06:00:00-08:00`, ...options },
      // The shape is checked here; whether the instant exists (calendar, DST) is checked by the domain's parseInstant.
      validator: { validate: (v: unknown) => typeof v === 'string' && INSTANT.test(v) },
    });
}

/** A real calendar date YYYY-MM-DD (no 2017-02-30). */
export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a date YYYY-MM-DD`, ...options },
      validator: {
        validate: (v: unknown) => {
          if (typeof v !== 'string' || !CALENDAR_DATE.test(v)) return false;
          const d = new Date(`${v}T00:00:00Z`);
          return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
        },
      },
    });
}

/**
 * Validates with one of the domain's pure rules (`check` returns why the value is refused, or null),
 * so that the DTO and the use case say the same thing.
 */
export function SatisfiesRule(check: (value: string) => string | null, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'satisfiesRule',
      target: target.constructor,
      propertyName,
      options: { message: (args) => (typeof args.value === 'string' ? check(args.value) : null) ?? `${propertyName} must be a string`, ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && check(v) === null },
    });
}
