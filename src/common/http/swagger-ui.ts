import { INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const SWAGGER_UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

const SWAGGER_UI_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Casetrail API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-init.js"></script>
</body></html>`;

const SWAGGER_UI_INIT = `window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#swagger-ui', persistAuthorization: true, deepLinking: true });`;

/** GET /docs: the Swagger UI (swagger-ui-dist, as shipped with @nestjs/swagger) over /docs-json. Public. */
export function serveSwaggerUi(app: INestApplication): void {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const assetsDir = dirname(
    require.resolve('swagger-ui-dist/swagger-ui-bundle.js', { paths: [dirname(require.resolve('@nestjs/swagger'))] }),
  );
  const cache = new Map<string, Buffer>();
  fastify.get('/docs', (_request: FastifyRequest, reply: FastifyReply) => reply.type('text/html; charset=utf-8').send(SWAGGER_UI_PAGE));
  fastify.get('/docs/swagger-ui-init.js', (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type('application/javascript; charset=utf-8').send(SWAGGER_UI_INIT),
  );
  for (const [file, type] of Object.entries(SWAGGER_UI_ASSETS)) {
    fastify.get(`/docs/${file}`, (_request: FastifyRequest, reply: FastifyReply) => {
      let body = cache.get(file);
      if (!body) cache.set(file, (body = readFileSync(join(assetsDir, file))));
      return reply.type(type).header('Cache-Control', 'public, max-age=86400').send(body);
    });
  }
}
