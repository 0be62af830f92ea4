import type { RequestHandler } from 'express';

/** One method of one route, as the app's router holds it. */
export interface RouteEntry {
  readonly method: string;
  /** The route's path with the paths its routers are mounted at, e.g. `/api/v1/users/:id`. */
  readonly path: string;
  /** The handlers in order; the first states who may call the route (src/auth/access.ts). */
  readonly handlers: readonly RequestHandler[];
}

/** The parts of Express's router this reads: its stack of layers, each a route or a mounted router. */
interface Layer {
  readonly rawPath?: unknown;
  readonly handle: RequestHandler & { readonly stack?: readonly Layer[] };
  readonly method?: string;
  readonly route?: { readonly path: unknown; readonly stack: readonly Layer[] };
}

const join = (prefix: string, path: unknown) => `${prefix}${typeof path === 'string' && path !== '/' ? path : ''}` || '/';

function walk(stack: readonly Layer[], prefix: string, entries: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const path = join(prefix, layer.route.path);
      const methods = new Map<string, RequestHandler[]>();
      // `.all()` handlers (methodNotAllowed) have no method: they only ever answer 405 or an OPTIONS.
      for (const handler of layer.route.stack) {
        if (handler.method !== undefined) methods.set(handler.method.toUpperCase(), [...(methods.get(handler.method.toUpperCase()) ?? []), handler.handle]);
      }
      for (const [method, handlers] of methods) entries.push({ method, path, handlers });
    } else if (layer.handle.stack) {
      walk(layer.handle.stack, join(prefix, layer.rawPath), entries);
    }
  }
}

/**
 * Every route the app serves, read from Express's router: what CORS advertises in
 * Access-Control-Allow-Methods, and what test/access-rules.test.ts checks for a stated access rule.
 */
export function routeTable(app: { readonly router: { readonly stack: readonly unknown[] } }): RouteEntry[] {
  const entries: RouteEntry[] = [];
  walk(app.router.stack as readonly Layer[], '', entries);
  return entries;
}
