/**
 * The routes an OpenAPI 3 document names, as `check` probes them: each operation's method, its path
 * with every template filled with a harmless value, whether it takes a JSON body, and whether the
 * document says it needs credentials. Only what the probes use is read; anything else is ignored.
 */
export interface Operation {
  readonly method: string;
  /** The path as sent, with `{id}` and the like filled in. */
  readonly path: string;
  readonly jsonBody: boolean;
  readonly secured: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A value no route should act on: a number for numeric parameters (an id that is very unlikely to
 * exist), else a word.
 */
function harmless(parameter: Json | undefined): string {
  const schema = isObject(parameter?.schema) ? parameter.schema : {};
  if (schema.type === 'integer' || schema.type === 'number') return '999999999';
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  return 'check-probe';
}

/** `security: []` (or a list with `{}`) makes an operation public; no list inherits the document's. */
function isSecured(requirements: unknown): boolean {
  if (!Array.isArray(requirements) || requirements.length === 0) return false;
  return requirements.every((requirement) => isObject(requirement) && Object.keys(requirement).length > 0);
}

/**
 * The path a server URL puts before every path: a relative URL (/api/v1) is one, an absolute one
 * contributes its path only. Its variables ({scheme}://{host}/v1) take their defaults, as the
 * document says a client should; one without a default is an empty string.
 */
function serverPath(server: unknown): string {
  if (!isObject(server) || typeof server.url !== 'string') return '';
  const variables = isObject(server.variables) ? server.variables : {};
  const url = server.url.replace(/\{([^}]*)\}/g, (_match, name: string) => {
    const variable = variables[name];
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : '';
  });
  const absolute = /^[a-z][a-z\d+.-]*:\/\//i.test(url) || url.startsWith('//');
  // An absolute URL whose host is still unusable (a variable with no default) keeps its path alone.
  const path = absolute ? url.replace(/^(?:[a-z][a-z\d+.-]*:)?\/\/[^/]*/i, '') : url;
  return new URL(path || '/', 'http://server.invalid').pathname.replace(/\/$/, '');
}

export class OpenapiError extends Error {}

export function parseOpenapi(text: string, source: string): Operation[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new OpenapiError(`${source} is not JSON: give an OpenAPI 3 document in JSON`);
  }
  if (!isObject(document) || typeof document.openapi !== 'string' || !document.openapi.startsWith('3.') || !isObject(document.paths)) {
    throw new OpenapiError(`${source} is not an OpenAPI 3 document: expected "openapi": "3.x" and "paths"`);
  }
  const servers = Array.isArray(document.servers) ? document.servers : [];
  const prefix = serverPath(servers[0]);
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    if (!template.startsWith('/') || !isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const parameters = [...shared, ...(Array.isArray(operation.parameters) ? operation.parameters : [])].filter(isObject);
      const path = `${prefix}${template}`.replace(/\{([^}]+)\}/g, (_match, name: string) =>
        encodeURIComponent(harmless(parameters.find((parameter) => parameter.in === 'path' && parameter.name === name))),
      );
      const content = isObject(operation.requestBody) && isObject(operation.requestBody.content) ? operation.requestBody.content : {};
      operations.push({
        method: method.toUpperCase(),
        path,
        jsonBody: Object.keys(content).some((type) => /^application\/(?:[\w.-]+\+)?json$/i.test(type)),
        secured: isSecured('security' in operation ? operation.security : document.security),
      });
    }
  }
  if (operations.length === 0) throw new OpenapiError(`${source} names no operation under "paths"`);
  return operations;
}
