import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Schema } from './schema.ts';

/**
 * Stands in for a named parameter while the query is built and compiled: the compiled query lists it
 * where that parameter's value goes, so each call knows which value to bind where.
 */
class Slot {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

/** The query, compiled once; each call binds new values to the same SQL (parameters, never text). */
export interface PreparedQuery<Params, Row> {
  /** Every row. */
  all(params: Params): Promise<Row[]>;
  /** The first row, or undefined. */
  first(params: Params): Promise<Row | undefined>;
  /** For a write: how many rows it changed. */
  run(params: Params): Promise<bigint>;
}

/**
 * A query built with Kysely's query builder once, compiled once, and run with new values on each call.
 * Building and compiling a query costs more than running it on SQLite, so the queries every request
 * makes (the session lookup, a page of users) are prepared here instead of built again each time.
 *
 * `build` gets stand-ins for the parameters: pass each one whole to the builder (`.where('id', '=',
 * params.id)`), never computed on (`params.now - idleMs`: compute that before the call and pass it as a
 * parameter of its own). Every value of the query must be a parameter: compiling refuses a query with
 * any other, so a computed stand-in cannot slip through as a constant.
 *
 * Compiled on the first call, not here: a database whose plugins fail (see test/helpers.ts) fails
 * that call, as an unprepared query would.
 */
export function prepareQuery<Params extends object, Row>(db: Kysely<Schema>, build: (params: Params) => Compilable<Row>): PreparedQuery<Params, Row> {
  let compiled: { query: CompiledQuery<Row>; names: readonly string[] } | undefined;

  const compile = () => {
    const slots = new Proxy({}, { get: (_target, name) => (typeof name === 'string' ? new Slot(name) : undefined) }) as Params;
    const query = build(slots).compile();
    const names = query.parameters.map((value) => {
      if (!(value instanceof Slot)) throw new TypeError(`prepareQuery: every value must be a parameter, found ${String(value)} in ${query.sql}`);
      return value.name;
    });
    return { query, names };
  };

  const execute = (params: Params) => {
    compiled ??= compile();
    const { query, names } = compiled;
    const values = params as Record<string, unknown>;
    return db.executeQuery<Row>({ ...query, parameters: names.map((name) => values[name]) });
  };

  return {
    all: async (params) => (await execute(params)).rows,
    first: async (params) => (await execute(params)).rows[0],
    run: async (params) => (await execute(params)).numAffectedRows ?? 0n,
  };
}
