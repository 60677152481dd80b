import { applyDecorators, BadRequestException } from '@nestjs/common';
import { IsNotEmpty, IsString, MaxLength, registerDecorator, ValidateIf, ValidationArguments } from 'class-validator';

/**
 * What the API accepts as text, in one place (README "Input rules"):
 * - ids and short text: no control characters (C0, DEL, C1), no line or paragraph separators;
 * - long free text: the same, except tab, line feed and carriage return;
 * - neither: bidi overrides or isolates (U+202A–U+202E, U+2066–U+2069), which make stored text read
 *   differently from what it is, nor lone surrogates (not well-formed Unicode);
 * - a text must show something: only whitespace and zero-width characters (U+200B–U+200D, U+2060, U+FEFF…)
 *   is refused like an empty string.
 * Headers that carry ids (X-Correlation-Id, X-Causation-Id, Idempotency-Key) match SAFE_HEADER_ID.
 */

/** An id a client or a proxy may hand us in a header: short, printable ASCII, nothing that breaks logs. */
export const SAFE_HEADER_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
/** Idempotency keys: the same characters; up to 255 long, as accepted before. */
export const SAFE_IDEMPOTENCY_KEY = /^[A-Za-z0-9._:@-]{1,255}$/;

export const IDEMPOTENCY_KEY_RULE = 'Idempotency-Key must be 1 to 255 characters of A-Z, a-z, 0-9 and . _ : @ -';

/** The Idempotency-Key, or undefined when absent; 400 naming the header when it is not a safe key. */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !SAFE_IDEMPOTENCY_KEY.test(key)) {
    throw new BadRequestException({
      message: IDEMPOTENCY_KEY_RULE,
      details: [{ field: 'Idempotency-Key', problems: [IDEMPOTENCY_KEY_RULE] }],
    });
  }
  return key;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the rule itself
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Whitespace (\s covers Unicode spaces and U+FEFF) and invisible format characters. */
const NOTHING_VISIBLE = /^[\s\u00AD\u061C\u180E\u200B-\u200F\u2060-\u2064]*$/;

export interface TextRule {
  /** Long free text: tab, line feed and carriage return allowed. */
  multiline?: boolean;
  /** An empty string is accepted (optional free text, e.g. a note, as before); whitespace-only still is not. */
  allowEmpty?: boolean;
}

/** Why a string breaks the rule, or null when it keeps it. */
export function textProblem(value: string, rule: TextRule = {}): string | null {
  if ((rule.multiline ? CONTROL_BUT_LINES : CONTROL).test(value)) {
    return rule.multiline
      ? 'must not contain control characters (other than tab and line breaks)'
      : 'must not contain control characters or line breaks';
  }
  if (BIDI_CONTROL.test(value)) return 'must not contain bidirectional override or isolate characters (U+202A–U+202E, U+2066–U+2069)';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (no lone surrogates)';
  if (!(rule.allowEmpty && value === '') && NOTHING_VISIBLE.test(value))
    return 'must contain a visible character (not only whitespace or zero-width characters)';
  return null;
}

/** class-validator: a string that keeps `textProblem`'s rule. Non-strings are left to @IsString. */
export function IsSafeText(rule: TextRule = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isSafeText',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || textProblem(value, rule) === null,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} ${textProblem(String(args?.value), rule) ?? 'is not acceptable text'}`,
      },
    });
}

/**
 * Optional, but never null: `@IsOptional()` lets null through as if absent, so `amount: null` reached the
 * decider (and answered 500). With this, only an absent member is skipped; null is refused, naming the field.
 */
export function Optional(): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_object: unknown, value: unknown) => value !== undefined),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isNotNull',
        target: target.constructor,
        propertyName: String(propertyName),
        validator: {
          validate: (value: unknown) => value !== null,
          defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'value'} must not be null (leave it out instead)`,
        },
      }),
  );
}

/** An id or a short text: a string of at most `max` characters, with something visible, no control, bidi or lone surrogates. */
export const SafeShortText = (max: number) => applyDecorators(IsString(), IsNotEmpty(), MaxLength(max), IsSafeText());

/** Long free text: as SafeShortText, line breaks and tabs allowed. `allowEmpty` for optional notes, which accepted "" before. */
export const SafeLongText = (max: number, options: { allowEmpty?: boolean } = {}) =>
  applyDecorators(
    IsString(),
    ...(options.allowEmpty ? [] : [IsNotEmpty()]),
    MaxLength(max),
    IsSafeText({ multiline: true, allowEmpty: options.allowEmpty }),
  );
