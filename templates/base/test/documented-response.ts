import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { fullFormats } from 'ajv-formats/dist/formats.js';

type Json = Record<string, unknown>;

/** Each server's document, fetched once: what the app says it answers. */
const documents = new Map<string, Promise<Json>>();
// The formats zod writes (uuid, email, date-time) are checked too, not only the types.
const ajv = new Ajv2020({ allErrors: true, strict: false, formats: fullFormats });

const documentOf = (origin: string) => {
  let document = documents.get(origin);
  if (!document) {
    document = fetch(`${origin}/openapi.json`).then((res) => res.json() as Promise<Json>);
    documents.set(origin, document);
  }
  return document;
};

/** A `{ $ref: '#/components/...' }` replaced by what it names. */
function resolve(document: Json, value: unknown): Json | undefined {
  const ref = (value as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref !== 'string') return value as Json | undefined;
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], document) as Json | undefined;
}

/** The document's path that a request path matches: an exact one first, then one with `{parameters}`. */
function templateOf(paths: Json, path: string): string | undefined {
  if (Object.hasOwn(paths, path)) return path;
  // eslint-disable-next-line security/detect-non-literal-regexp -- from the app's own document: `{id}` becomes one segment
  return Object.keys(paths).find((template) => new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`).test(path));
}

/**
 * Checks a response against the app's own OpenAPI document (GET /openapi.json): its status is one the
 * operation lists, its content type the one documented, and its body valid against the documented
 * JSON Schema. Returns the response, unread, so a test can wrap any call it makes:
 *
 *   const me = await documentedResponse('GET', await fetch(`${url}/api/v1/users/me`, { headers }));
 */
export async function documentedResponse(method: string, res: Response): Promise<Response> {
  const { origin, pathname } = new URL(res.url);
  const document = await documentOf(origin);
  const paths = document.paths as Json;
  const template = templateOf(paths, pathname);
  assert.ok(template, `${pathname} is not in the document`);
  const operation = (paths[template] as Json)[method.toLowerCase()] as Json | undefined;
  assert.ok(operation, `${method} ${template} is not in the document`);
  const response = resolve(document, (operation.responses as Json)[String(res.status)]);
  assert.ok(response, `${method} ${template} does not document a ${String(res.status)}`);

  const body = await res.clone().text();
  const content = response.content as Record<string, { schema: unknown }> | undefined;
  if (!content) {
    assert.equal(body, '', `${method} ${template} ${String(res.status)} documents no body`);
    return res;
  }
  const type = (res.headers.get('content-type') ?? '').split(';', 1)[0] ?? '';
  const schema = resolve(document, content[type]?.schema);
  assert.ok(schema, `${method} ${template} ${String(res.status)} documents no ${type} body`);
  const validate = ajv.compile(schema);
  assert.ok(validate(JSON.parse(body)), `${method} ${template} ${String(res.status)}: ${ajv.errorsText(validate.errors)}`);
  return res;
}
