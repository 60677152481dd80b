import { ApiHeader } from '@nestjs/swagger';

/** Response headers as ApiResponse declares them. */
export type OpenApiHeaders = Record<string, { description: string; schema: Record<string, unknown> }>;

/** ETag of something versioned other than a dispute (a policy, an agent's standing), for If-Match. */
export function etagOf(what: string): OpenApiHeaders {
  return { ETag: { description: `the ${what}'s version, for If-Match`, schema: { type: 'string', example: '"2"' } } };
}
/** Sent by the versioned admin policies' reads and writes (SLA, authority, evidence): the policy version. */
export const POLICY_ETAG_HEADER: OpenApiHeaders = etagOf('policy');

/**
 * `If-Match` on a write of something versioned other than a dispute (optional, as on dispute writes): the
 * version read from `ETag` (or `version`); 412 when it is no longer the current one.
 */
export function ApiVersionIfMatch(what: string) {
  return ApiHeader({
    name: 'If-Match',
    required: false,
    description: `the ${what} version from \`ETag\` (or \`version\`), e.g. \`"2"\`; 412 when the ${what} moved on`,
  });
}
export const ApiPolicyIfMatch = () => ApiVersionIfMatch('policy');
