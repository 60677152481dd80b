import { BadRequestException } from '@nestjs/common';

export const MAX_BODY_DEPTH = 32;

/**
 * Checks a parsed JSON body before validation: nesting deeper than any of our DTOs (validation would
 * recurse once per level and overflow the stack on hostile input), and member names that shadow
 * Object.prototype (`__proto__`, `constructor`, `toString`, …), which validation would drop silently.
 * Both are refused with 400 naming the path.
 */
export function assertSafeBody(body: unknown): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_BODY_DEPTH)
      throw new BadRequestException(`body is nested deeper than ${MAX_BODY_DEPTH} levels at ${path || 'the top'}`);
    for (const key of Object.keys(value)) {
      if (key in Object.prototype || key === 'prototype') {
        const field = path ? `${path}.${key}` : key;
        throw new BadRequestException({
          message: `property ${field} is not allowed`,
          details: [{ field, problems: ['reserved property name'] }],
        });
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
}
