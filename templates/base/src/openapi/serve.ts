import { readFileSync } from 'node:fs';
import type { Express } from 'express';
import { z } from 'zod';
import { publicRoute } from '../auth/access.ts';
import type { Config } from '../config.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { routeTable } from '../http/route-table.ts';
import { docsPage } from './docs-page.ts';
import { documented } from './documented.ts';

/** The title and version of the document: the project's own, from its package.json (beside src/ and dist/). */
function projectInfo(): { title: string; version: string } {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a fixed file of the project, beside src/ and dist/
  const { name, version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return { title: name, version };
}

/**
 * The app's document, built from its router: call it once every route is registered. The builder is
 * loaded on first use, so the server's start-up does not pay for it.
 */
export async function appDocument(app: Express): Promise<Record<string, unknown>> {
  const { openApiDocument } = await import('./document.ts');
  return openApiDocument(routeTable(app), projectInfo());
}

/** What GET /openapi.json answers, in outline (the OpenAPI 3.1 schema itself is what tests validate it against). */
const documentOutline = z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) });

/**
 * GET /openapi.json, public and behind the global rate limit; and outside production, the
 * documentation page at /docs. The document is built on the first request, when every route is
 * registered, and kept as bytes: no request after that pays for it, and start-up does not either.
 * It is `no-store` like every response (security/headers.ts): one rule for the whole API, which the
 * generator's `check` holds every response to.
 */
export function addOpenApiRoutes(app: Express, config: Pick<Config, 'env'>): void {
  let served: Promise<string> | undefined;
  const document = () => (served ??= appDocument(app).then((built) => JSON.stringify(built)));

  app
    .route('/openapi.json')
    .get(publicRoute, documented({ summary: 'This document: the OpenAPI 3.1 description of the API', responses: { 200: documentOutline } }), async (_req, res) => {
      res.type('json').send(await document());
    })
    .all(methodNotAllowed('GET'));

  if (config.env !== 'production') app.use('/docs', docsPage());
}
