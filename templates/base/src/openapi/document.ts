import { z } from 'zod';
import { REFUSALS, type AccessRule } from '../auth/access.ts';
import { sessionScheme } from '../auth/session-scheme.ts';
import type { RouteEntry } from '../http/route-table.ts';
import { requestSchemasOf } from '../http/validate.ts';
import { routeDocsOf } from './documented.ts';
import { problemResponses, problemSchema } from './problems.ts';

type JsonSchema = Record<string, unknown>;

/** Requests are described as clients send them (before transforms and defaults), responses as sent. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  // Draft 2020-12 is OpenAPI 3.1's own dialect; `$schema` would only repeat it in every schema.
  delete json.$schema;
  return json;
}

/** Each property of an object schema as an OpenAPI parameter (`in: path` or `in: query`). */
function parameters(where: 'path' | 'query', schema: z.ZodType | undefined, names: readonly string[] = []): unknown[] {
  const object = schema ? jsonSchema(schema, 'input') : {};
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  const all = [...new Set([...names, ...Object.keys(properties)])];
  return all.map((name) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: properties[name] ?? { type: 'string' },
  }));
}

/** The refusals a route can answer with, from what it states: its access rule, its validation, its docs. */
function refusalsOf(access: AccessRule | undefined, route: RouteEntry): number[] {
  const schemas = route.handlers.map(requestSchemasOf).find((found) => found !== undefined);
  const docs = route.handlers.map(routeDocsOf).find((found) => found !== undefined);
  const statuses = new Set([
    ...(schemas ? [400] : []),
    // Only a body's size and type can be refused before the route runs.
    ...(schemas?.body ? [413, 415] : []),
    ...(access ? REFUSALS[access] : []),
    ...(docs?.refusals ?? []),
    // Behind the rate limits: 429 when over one; 503 when the database or Redis behind it is down.
    ...(docs?.rateLimited === false ? [] : [429, 503]),
  ]);
  return [...statuses].sort((a, b) => a - b);
}

function operation(route: RouteEntry): Record<string, unknown> {
  const access = (route.handlers[0] as { access?: AccessRule } | undefined)?.access;
  const schemas = route.handlers.map(requestSchemasOf).find((found) => found !== undefined);
  const docs = route.handlers.map(routeDocsOf).find((found) => found !== undefined);
  const pathNames = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1] ?? '');
  const successes = Object.entries(docs?.responses ?? { 200: undefined }).map(([status, schema]) => [
    status,
    schema
      ? { description: 'Success.', content: { 'application/json': { schema: jsonSchema(schema, 'output') } } }
      : { description: schema === null ? 'Success, with no body.' : 'Success (not described: add documented() to the route).' },
  ]);
  const params = [...parameters('path', schemas?.params, pathNames), ...parameters('query', schemas?.query)];
  return {
    ...(docs ? { summary: docs.summary } : {}),
    // Grouped on the documentation page by the path segment after the version; health checks and
    // this document as the service's own.
    tags: [/^\/api\/v\d+\/([^/]+)/.exec(route.path)?.[1] ?? 'service'],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(schemas?.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(schemas.body, 'input') } } } } : {}),
    responses: Object.fromEntries([
      ...successes,
      ...refusalsOf(access, route).map((status) => [String(status), { $ref: `#/components/responses/Problem${String(status)}` }]),
    ]),
    // `public` routes say so with an empty list: no session needed (and none required by default either).
    security: access === undefined || access === 'public' ? [] : [{ session: [] }],
    ...(access ? { 'x-access-rule': access } : {}),
  };
}

export interface DocumentInfo {
  readonly title: string;
  readonly version: string;
}

/**
 * The OpenAPI 3.1 document of the routes the app serves: each route's path, method and access rule
 * from the router (src/http/route-table.ts), its request from the zod schemas validate() checks, its
 * success responses from documented(), and its refusals from all three. Nothing is listed twice.
 */
export function openApiDocument(routes: readonly RouteEntry[], info: DocumentInfo): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.1',
    info: {
      title: info.title,
      version: info.version,
      // Said once rather than on every operation: it only ever concerns browsers on other sites, or other names.
      description:
        'Errors are RFC 9457 problem documents (`application/problem+json`). Requests that pages of other sites make a browser send (and, with cookie sessions, unsafe requests from origins this API does not allow) are refused with 403 before any route runs. A request whose `Host` is not a name this API answers for is refused with 421, on every route but /healthz and /readyz.',
    },
    paths,
    components: {
      schemas: { Problem: jsonSchema(problemSchema, 'output') },
      responses: problemResponses(),
      securitySchemes: { session: sessionScheme },
    },
  };
}
