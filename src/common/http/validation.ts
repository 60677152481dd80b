import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { assertSafeBody } from './body-shape.guard';
import { textProblem } from './input-rules';

/** Flattens nested errors to `{ field: "amount.amount", problems: [...] }` so every offending field is named. */
function flatten(errors: ValidationError[], prefix = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Checks the body's shape (depth, reserved names) before class-validator walks it, that an untyped body is
 * an object, and path parameters (`:id`, `:compensationId`, `:breachId`, …) against the id rules of input-rules.ts.
 */
class SafeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') assertSafeBody(value);
    if (metadata.type === 'param' && typeof value === 'string') assertSafeParam(metadata.data ?? 'path', value);
    // A body typed as a plain record (no DTO: class-validator skips it) must still be a JSON object.
    if (metadata.type === 'body' && metadata.metatype === Object && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new BadRequestException('the body must be a JSON object');
    }
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

/**
 * The one `details` shape of a 400 (`[{ field, problems }]`) from messages written as "<field>: <problem>"
 * (the SLA policy and peak-window checks); a message naming no field is filed under `body`.
 */
export function fieldProblems(messages: string[]): { field: string; problems: string[] }[] {
  const byField = new Map<string, string[]>();
  for (const message of messages) {
    const match = /^([A-Za-z_][\w.[\]]*): (.+)$/s.exec(message);
    const [field, problem] = match ? [match[1], match[2]] : ['body', message];
    byField.set(field, [...(byField.get(field) ?? []), problem]);
  }
  return [...byField].map(([field, problems]) => ({ field, problems }));
}

/** A 400 naming every offending field, from "<field>: <problem>" messages. */
export function invalidFields(what: string, messages: string[]): BadRequestException {
  return new BadRequestException({ message: `invalid ${what}: ${messages.join('; ')}`, details: fieldProblems(messages) });
}

function assertSafeParam(name: string, value: string): void {
  const problem = textProblem(value);
  if (problem === null) return;
  const details = [{ field: name, problems: [`${name} ${problem}`] }];
  throw new BadRequestException({ message: `invalid ${name}: ${name} ${problem}`, details });
}
