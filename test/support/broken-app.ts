import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, STATUS_CODES, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import cors from 'cors';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';

/**
 * Express apps for `check` to probe, on 127.0.0.1. With no flaw it is written the way a careful person
 * would (the generated project's rules, in one file); each flaw is one of the mistakes people make,
 * switched on alone or together. Every request and connection is counted, so tests can hold `check`
 * to its cap.
 */
export const FLAWS = [
  'trust-proxy-true', // app.set('trust proxy', true) with a rate limiter
  'trust-proxy-one', // app.set('trust proxy', 1): right behind one proxy, a hole when reached without it
  'limit-without-headers', // the login limit sends no RateLimit headers (nor Retry-After)
  'global-limit', // an app-wide limiter whose answers count down (RateLimit headers)
  'per-route-cors', // GET /api/private (401 without a token) reflects any origin, with credentials
  'unguarded-route', // GET /api/private, secured in the OpenAPI document, answers without a token
  'catch-all', // a docs page answering 200 to every method on every unknown path, no 415 for other bodies
  'html-error-pages', // no 404 or error handler of its own, in production: Express's HTML pages
  'form-bodies', // POST /api/items also reads urlencoded bodies, and no 415 for other bodies
  'error-handler-500', // an error handler that answers 500 whatever err.status says
  'bad-cookies', // GET /healthz sets a cookie without Secure, HttpOnly or SameSite
  'cors-defaults', // cors() with no options
  'cors-ends-with', // origin.endsWith('app.example.com'), with credentials
  'cors-regex-no-end-anchor', // /^https:\/\/app\.example\.com/ without the $, with credentials
  'no-hsts', // helmet with Strict-Transport-Security turned off
  'default-error-handler', // no 404 or error handler of its own, NODE_ENV unset
  'json-limit-10mb', // express.json({ limit: '10mb' })
  'helmet-defaults', // helmet() as it comes, written for HTML pages
  'trace-echo', // a route that answers TRACE with the request
  'no-rate-limit', // nothing limits the login route
  'x-real-ip-key', // the limiter keyed on a header the client writes
  'node-default-timeouts', // http.createServer with Node's timeouts (60 s for headers)
  'login-404', // not a flaw of check's: the login answers 404 for an unknown account, as some APIs do
  'app-wide-limit', // one limiter for the whole app (20 a minute, no RateLimit headers), none of the login's own
  'trust-proxy-two', // app.set('trust proxy', 2): one hop too many behind one proxy
  'parser-message', // the error handler passes err.message on when err.expose (a 4xx), as http-errors allows
  'cors-reflect-any', // cors({ origin: true, credentials: true }): every origin reflected
  'login-validates-first', // the login answers 400 to a body without an email before its limiter counts it
  'refuses-forwarding-headers', // not a flaw: 400 to any request that carries X-Forwarded-For, X-Real-IP or Forwarded
  'options-hangs', // a route for OPTIONS that never answers (not a CORS flaw: nothing is allowed)
  'clears-cookie', // not a flaw: GET /healthz deletes a cookie (res.clearCookie, no attributes)
  'items-any-post', // POST /api/items creates an item from defaults whatever the body, and no 415 for other bodies
  'trust-proxy-loopback', // app.set('trust proxy', 'loopback'): right behind a proxy on the same host, for clients from elsewhere
  'cookie-secure-auto', // not a flaw: GET /healthz sets an HttpOnly, SameSite=Lax cookie, Secure over https only (express-session's secure: 'auto')
  'preflight-reflects-any', // a hand-written OPTIONS handler that reflects any origin, with credentials (the GETs stay refused)
  'csrf-before-limit', // not a flaw of check's: the login refuses a request without a CSRF token (403) before its limiter counts it
] as const;

export type Flaw = (typeof FLAWS)[number];

export interface BrokenApp {
  readonly base: string;
  readonly port: number;
  /** Requests the server received (a request whose headers never finished is not one). */
  requests(): number;
  connections(): number;
  close(): Promise<void>;
}

export const LOGIN_PATH = '/api/login';
export const ITEMS_PATH = '/api/items';
export const LOGIN_LIMIT = 5;
export const PRIVATE_PATH = '/api/private';
export const ALLOWED_ORIGIN = 'https://app.example.com';

/** The fixture's OpenAPI document: /healthz public, /api/private secured by a bearer token. */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'check fixture', version: '1.0.0' },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  security: [{ bearer: [] }],
  paths: {
    '/healthz': { get: { security: [], responses: { 200: { description: 'up' } } } },
    [PRIVATE_PATH]: { get: { responses: { 200: { description: 'the secret' }, 401: { description: 'no token' } } } },
    [ITEMS_PATH]: { post: { security: [], requestBody: { content: { 'application/json': {} } }, responses: { 201: { description: 'created' } } } },
    [LOGIN_PATH]: { post: { security: [], requestBody: { content: { 'application/json': {} } }, responses: { 401: { description: 'wrong password' } } } },
  },
};

const problem = (res: Parameters<RequestHandler>[1], status: number) => {
  res.status(status).type('application/problem+json').json({ type: 'about:blank', title: STATUS_CODES[status], status });
};

const httpError = (status: number, message: string) => Object.assign(new Error(message), { status, expose: true });

/** A self-signed certificate for 127.0.0.1, written to `dir`; trust it with NODE_EXTRA_CA_CERTS. */
export function makeCertificate(dir: string): { key: string; cert: string; certPath: string; keyPath: string } {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath], { stdio: 'ignore' });
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath, keyPath };
}

/** Whether the fixture's CORS policy lets `origin` in: exactly, or with one of the usual mistakes. */
function corsAllows(flaws: ReadonlySet<Flaw>, origin: string | undefined): boolean {
  if (origin === undefined) return false;
  if (flaws.has('cors-ends-with')) return origin.endsWith('app.example.com');
  if (flaws.has('cors-regex-no-end-anchor')) return /^https:\/\/app\.example\.com/.test(origin);
  return origin === ALLOWED_ORIGIN;
}

export async function startBrokenApp(
  flawList: readonly Flaw[] = [],
  options: { redirectTo?: string; tls?: { key: string; cert: string } } = {},
): Promise<BrokenApp> {
  const flaws = new Set(flawList);
  const app = express();
  app.set('trust proxy', flaws.has('trust-proxy-true') ? true : flaws.has('trust-proxy-loopback') ? 'loopback' : flaws.has('trust-proxy-two') ? 2 : flaws.has('trust-proxy-one') ? 1 : 0);
  app.disable('x-powered-by');

  if (flaws.has('helmet-defaults')) {
    app.use(helmet());
  } else {
    app.use(
      helmet({
        contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
        frameguard: { action: 'deny' },
        ...(flaws.has('no-hsts') ? { strictTransportSecurity: false } : {}),
      }),
      (_req, res, next) => {
        res.set('Cache-Control', 'no-store');
        next();
      },
    );
  }

  app.use(
    flaws.has('cors-defaults')
      ? cors()
      : flaws.has('cors-reflect-any')
        ? cors({ origin: true, credentials: true })
        : cors({ origin: (origin, callback) => callback(null, corsAllows(flaws, origin) ? origin : false), credentials: true }),
  );

  if (flaws.has('trace-echo')) {
    app.trace('/{*path}', (req, res) => {
      const head = [`${req.method} ${req.originalUrl} HTTP/1.1`, ...req.rawHeaders.flatMap((value, i, all) => (i % 2 === 0 ? [`${value}: ${all[i + 1]}`] : []))];
      res.type('message/http').send(`${head.join('\r\n')}\r\n`);
    });
  }

  if (flaws.has('global-limit')) {
    app.use(rateLimit({ windowMs: 60_000, limit: 100, standardHeaders: 'draft-8', legacyHeaders: false, validate: false }));
  }

  if (flaws.has('options-hangs')) app.options('/{*path}', () => {});
  if (flaws.has('preflight-reflects-any')) {
    app.options('/{*path}', (req, res) => {
      res.set({ 'Access-Control-Allow-Origin': req.get('origin') ?? '', 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Allow-Methods': 'GET, POST' }).status(204).end();
    });
  }

  if (flaws.has('refuses-forwarding-headers')) {
    app.use((req, res, next) => (['x-forwarded-for', 'x-real-ip', 'forwarded'].some((name) => req.get(name) !== undefined) ? problem(res, 400) : next()));
  }

  if (flaws.has('app-wide-limit')) {
    app.use(rateLimit({ windowMs: 60_000, limit: 20, standardHeaders: false, legacyHeaders: false, validate: false }));
  }

  if (flaws.has('login-validates-first')) {
    app.use(LOGIN_PATH, express.json(), (req, res, next) => (typeof req.body?.email === 'string' ? next() : problem(res, 400)));
  }

  if (flaws.has('csrf-before-limit')) {
    app.use(LOGIN_PATH, (req, res, next) => (req.get('x-csrf-token') === 'fixture-token' ? next() : problem(res, 403)));
  }

  if (!flaws.has('no-rate-limit') && !flaws.has('app-wide-limit')) {
    app.use(
      LOGIN_PATH,
      rateLimit({
        windowMs: 60_000,
        limit: LOGIN_LIMIT,
        standardHeaders: flaws.has('limit-without-headers') ? false : 'draft-8',
        legacyHeaders: false,
        // The flawed key is the point of the fixture; the library's warnings about it are not.
        validate: false,
        ...(flaws.has('x-real-ip-key') ? { keyGenerator: (req) => req.get('x-real-ip') ?? req.ip ?? '' } : {}),
      }),
    );
  }

  const jsonOnly: RequestHandler = (req, _res, next) => {
    const hasBody = req.get('transfer-encoding') !== undefined || (req.get('content-length') ?? '0') !== '0';
    next(hasBody && !req.is('application/json') ? httpError(415, 'Unsupported Media Type') : undefined);
  };
  const readsAnyBody = flaws.has('catch-all') || flaws.has('form-bodies') || flaws.has('items-any-post');
  app.use(...(readsAnyBody ? [] : [jsonOnly]), express.json({ limit: flaws.has('json-limit-10mb') ? '10mb' : '100kb', type: 'application/json' }));
  if (flaws.has('form-bodies')) app.use(express.urlencoded({ extended: false }));
  app.post(ITEMS_PATH, (req, res) => {
    const fields = typeof req.body === 'object' && req.body !== null ? Object.keys(req.body) : [];
    if (fields.length === 0 && !flaws.has('items-any-post')) problem(res, 400);
    else res.status(201).json({ created: fields });
  });

  if (options.redirectTo) {
    const target = options.redirectTo;
    app.get('/healthz', (_req, res) => res.redirect(302, target));
  }
  app.get('/healthz', (req, res) => {
    if (flaws.has('bad-cookies')) res.set('Set-Cookie', 'sid=check-fixture; Path=/');
    if (flaws.has('clears-cookie')) res.clearCookie('token');
    if (flaws.has('cookie-secure-auto')) res.cookie('sid', 'check-fixture', { httpOnly: true, sameSite: 'lax', secure: req.secure });
    res.json({ status: 'ok' });
  });
  app.get('/openapi.json', (_req, res) => void res.json(OPENAPI_DOCUMENT));
  app.get(PRIVATE_PATH, ...(flaws.has('per-route-cors') ? [cors({ origin: true, credentials: true })] : []), (req, res) => {
    if (!flaws.has('unguarded-route') && req.get('authorization') !== 'Bearer fixture-token') problem(res, 401);
    else res.json({ secret: 'fixture' });
  });
  app.post(LOGIN_PATH, (_req, res) => {
    if (flaws.has('login-404')) res.status(404).json({ errors: { email: ['no account with this email'] } });
    else problem(res, 401);
  });

  if (flaws.has('default-error-handler')) {
    // 'test' only stops Express logging each error here: its handler shows the stack in any
    // environment but production, exactly as with NODE_ENV unset.
    app.set('env', 'test');
  } else if (flaws.has('html-error-pages')) {
    app.set('env', 'production');
  } else {
    for (const [path, allow] of [['/healthz', 'GET, HEAD'], [PRIVATE_PATH, 'GET, HEAD'], [ITEMS_PATH, 'POST'], [LOGIN_PATH, 'POST']] as const) {
      app.all(path, (_req, res) => {
        res.set('Allow', allow);
        problem(res, 405);
      });
    }
    app.use(flaws.has('catch-all') ? (_req, res) => void res.type('html').send('<!doctype html><title>API docs</title>') : (_req, res) => problem(res, 404));
    const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
      const status = !flaws.has('error-handler-500') && typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
      if (flaws.has('parser-message') && err?.expose) res.status(status).json({ error: err.message });
      else problem(res, status);
    };
    app.use(errorHandler);
  }

  const timeouts = flaws.has('node-default-timeouts') ? {} : { headersTimeout: 2_000, requestTimeout: 5_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 250 };
  const server: Server = options.tls ? createTlsServer({ ...timeouts, ...options.tls }, app) : createServer(timeouts, app);
  let requests = 0;
  let connections = 0;
  server.on('request', () => (requests += 1));
  server.on('connection', () => (connections += 1));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    base: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests: () => requests,
    connections: () => connections,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
