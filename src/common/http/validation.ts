import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { assertSafeBody } from './body-shape.guard';

/** Flattens nested errors to `{ field: "amount.amount", problems: [...] }` so every offending field is named. */
function flatten(errors: ValidationError[], prefix = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Checks the body's shape (depth, reserved names) before class-validator walks it. */
class SafeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') assertSafeBody(value);
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new SafeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new BadRequestException({
        message: `invalid ${details.map((d) => d.field).join(', ')}: ${details.map((d) => d.problems.join(', ')).join('; ')}`,
        details,
      });
    },
  });
}
