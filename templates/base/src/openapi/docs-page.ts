import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RequestHandler } from 'express';
import { DOCS_PAGE_CONTENT_SECURITY_POLICY } from '../security/headers.ts';

/** The page: Swagger UI's own files, and a start-up script of ours (no inline script, so CSP can forbid them). */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>API documentation</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
`;

// `validatorUrl: null`: Swagger UI would otherwise send the document to an online validator.
const START = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', validatorUrl: null, deepLinking: true });\n`;

/** Swagger UI's files this page loads, from the package in the project's own dev dependencies. */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);

/**
 * The documentation page, GET /docs, for development only: app.ts mounts it outside production, where
 * swagger-ui-dist (a dev dependency) is not even installed, so there it is a 404 like any unknown path.
 * It is not an API route, so it is not in the document nor in the route table. Its CSP lets it run
 * its own scripts and styles and fetch /openapi.json, from this origin only.
 */
export function docsPage(): RequestHandler {
  const folder = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    const file = req.path.slice(1);
    if (file === '') {
      res.setHeader('Content-Security-Policy', DOCS_PAGE_CONTENT_SECURITY_POLICY);
      res.type('html').send(PAGE);
    } else if (file === 'start.js') {
      res.type('js').send(START);
    } else if (ASSETS.has(file)) {
      // Without `cacheControl: false`, sendFile would replace the `no-store` every response carries.
      res.sendFile(join(folder, file), { cacheControl: false });
    } else {
      next();
    }
  };
}
