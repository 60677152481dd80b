/**
 * @casetrail/client: a typed client for the Casetrail HTTP API, generated from its OpenAPI document.
 * `schema.d.ts` holds the types (openapi-typescript); calls go through openapi-fetch, so every path, parameter,
 * body and response is checked by the compiler. Regenerate with `npm run client:generate` in the service repo.
 *
 *   const api = createCasetrailClient({ baseUrl: 'https://casetrail.example', token });
 *   const { data, error, response } = await api.GET('/api/v1/disputes/{id}', { params: { path: { id } } });
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
export type Schemas = components['schemas'];
export type DisputeView = Schemas['DisputeViewDto'];
export type DisputeAction = DisputeView['allowedActions'][number];
export type ErrorBody = Schemas['ErrorBodyDto'];
export type CasetrailClient = Client<paths>;

export interface CasetrailClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  baseUrl: string;
  /** A bearer JWT (claims sub, roles, department). */
  token?: string;
}

export function createCasetrailClient(options: CasetrailClientOptions): CasetrailClient {
  const { token, ...rest } = options;
  const client = createClient<paths>(rest);
  if (token !== undefined)
    client.use({
      onRequest({ request }) {
        request.headers.set('Authorization', `Bearer ${token}`);
        return request;
      },
    });
  return client;
}

/** The `ETag` of a dispute response, to send back as `If-Match` (`*`: no check when there is none). */
export const versionOf = (response: Response): string => response.headers.get('ETag') ?? '*';
