{{#if (has methods 'POST')}}
import { randomUUID } from 'node:crypto';
{{/if}}
import { Router } from 'express';
{{#if (showsItems methods)}}
import type { Selectable } from 'kysely';
{{/if}}
import { z } from 'zod';
{{#if (is access 'public')}}
import { publicRoute } from '../auth/access.ts';
{{/if}}
{{#if (is access 'signed-in')}}
import { requireAuth } from '../auth/access.ts';
{{/if}}
{{#if (is access 'owner')}}
import { {{#if (collectionMethods methods)}}requireAuth{{#if (itemMethods methods)}}, {{/if}}{{/if}}{{#if (itemMethods methods)}}requireOwner{{/if}} } from '../auth/access.ts';
{{/if}}
{{#if (is access 'admin')}}
import { requireRole } from '../auth/access.ts';
{{/if}}
{{#if (showsItems methods)}}
import type { {{pascalCase name}}Table } from '../db/schema.ts';
{{/if}}
{{#if (itemMethods methods)}}
import { HttpError } from '../http/http-error.ts';
{{/if}}
import { methodNotAllowed } from '../http/method-not-allowed.ts';
{{#if (bodyMethods methods)}}
import { plainText } from '../http/text.ts';
{{/if}}
import { validate } from '../http/validate.ts';
import { documented{{#if (has methods 'DELETE')}}, noBody{{/if}} } from '../openapi/documented.ts';
import type { ApiServices } from './services.ts';

{{#if (bodyMethods methods)}}
// What a client may send. Strict: a field not named here is a 400, never passed on (mass assignment).
// Bound every string and number.
const itemBody = z.strictObject({
  name: plainText(100),
});

{{/if}}
{{#if (itemMethods methods)}}
const itemParams = z.strictObject({ id: z.uuid() });

{{/if}}
{{#if (has methods 'GET')}}
const listQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(100))
    .default(20),
});

{{/if}}
{{#if (showsItems methods)}}
/** What the API shows of an item; `item` is how the OpenAPI document (GET /openapi.json) describes it. */
const toItem = (row: Selectable<{{pascalCase name}}Table>) => ({ id: row.id, name: row.name });
const item = z.strictObject({ id: z.uuid(), name: z.string() });
{{#if (has methods 'GET')}}
const itemList = z.strictObject({ items: z.array(item) });
{{/if}}

{{/if}}
/**
 * /api/v1/{{kebabCase name}}, in the `{{snakeCase name}}` table. Who may call it: {{access}}.
{{#if (accessWarning access methods)}}
 * Mind what that allows: {{{accessWarning access methods}}}.
 * If items belong to the users who made them, the `owner` rule (requireOwner in src/auth/access.ts)
 * keeps each to their own.
{{/if}}
 * Every query goes through Kysely's builder, so request values reach SQL only as bound parameters.
 */
export function {{camelCase name}}Router({ db }: ApiServices): Router {
  const router = Router();
{{#if (is access 'public')}}
  const guard = publicRoute;
{{/if}}
{{#if (is access 'signed-in')}}
  const guard = requireAuth;
{{/if}}
{{#if (is access 'admin')}}
  const guard = requireRole('admin');
{{/if}}
{{#if (is access 'owner')}}
{{#if (itemMethods methods)}}
  // Items belong to whoever created them: others get the 404 of a missing id (src/auth/access.ts).
  // The id is not validated yet (the rule comes first): one that is not an id is nobody's.
  const ownItem = requireOwner(async ({ id }) =>
    itemParams.shape.id.safeParse(id).success
      ? (await db.selectFrom('{{snakeCase name}}').select('owner_id').where('id', '=', id ?? '').executeTakeFirst())?.owner_id
      : undefined,
  );
{{/if}}
{{/if}}
{{#if (itemMethods methods)}}

  const find = async (id: string) => {
    const row = await db.selectFrom('{{snakeCase name}}').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new HttpError(404, 'There is nothing at this path.');
    return row;
  };
{{/if}}
{{#if (collectionMethods methods)}}

  router
    .route('/')
{{#if (has methods 'GET')}}
{{#if (is access 'owner')}}
    .get(requireAuth, documented({ summary: 'Your {{kebabCase name}} (all of them for admins)', responses: { 200: itemList } }), validate({ query: listQuery }), async (req, res) => {
      let query = db.selectFrom('{{snakeCase name}}').selectAll().orderBy('created_at').orderBy('id').limit(req.query.limit);
      // Each user lists their own items; admins list everyone's.
      if (req.auth?.user.role !== 'admin') query = query.where('owner_id', '=', req.auth?.user.id ?? '');
      res.json({ items: (await query.execute()).map(toItem) });
    })
{{else}}
    .get(guard, documented({ summary: 'List {{kebabCase name}}', responses: { 200: itemList } }), validate({ query: listQuery }), async (req, res) => {
      const rows = await db.selectFrom('{{snakeCase name}}').selectAll().orderBy('created_at').orderBy('id').limit(req.query.limit).execute();
      res.json({ items: rows.map(toItem) });
    })
{{/if}}
{{/if}}
{{#if (has methods 'POST')}}
    .post({{#if (is access 'owner')}}requireAuth{{else}}guard{{/if}}, documented({ summary: 'Create one of {{kebabCase name}}', responses: { 201: item } }), validate({ body: itemBody }), async (req, res) => {
{{#if (is access 'owner')}}
      const row = { id: randomUUID(), name: req.body.name, owner_id: req.auth?.user.id ?? '', created_at: Date.now() };
{{else}}
      const row = { id: randomUUID(), name: req.body.name, created_at: Date.now() };
{{/if}}
      await db.insertInto('{{snakeCase name}}').values(row).execute();
      res.status(201).location(`${req.baseUrl}/${row.id}`).json(toItem(row));
    })
{{/if}}
    .all(methodNotAllowed({{{collectionMethods methods}}}));
{{/if}}
{{#if (itemMethods methods)}}

  router
    .route('/:id')
{{#if (has methods 'GET')}}
    .get({{#if (is access 'owner')}}ownItem{{else}}guard{{/if}}, documented({ summary: 'One of {{kebabCase name}}', responses: { 200: item }, refusals: [404] }), validate({ params: itemParams }), async (req, res) => {
      res.json(toItem(await find(req.params.id)));
    })
{{/if}}
{{#if (has methods 'PUT')}}
    .put({{#if (is access 'owner')}}ownItem{{else}}guard{{/if}}, documented({ summary: 'Replace one of {{kebabCase name}}', responses: { 200: item }, refusals: [404] }), validate({ params: itemParams, body: itemBody }), async (req, res) => {
      const { id } = await find(req.params.id);
      await db.updateTable('{{snakeCase name}}').set({ name: req.body.name }).where('id', '=', id).execute();
      res.json(toItem(await find(id)));
    })
{{/if}}
{{#if (has methods 'PATCH')}}
    .patch({{#if (is access 'owner')}}ownItem{{else}}guard{{/if}}, documented({ summary: 'Change one of {{kebabCase name}}', responses: { 200: item }, refusals: [404] }), validate({ params: itemParams, body: itemBody.partial() }), async (req, res) => {
      const current = await find(req.params.id);
      await db.updateTable('{{snakeCase name}}').set({ name: req.body.name ?? current.name }).where('id', '=', current.id).execute();
      res.json(toItem(await find(current.id)));
    })
{{/if}}
{{#if (has methods 'DELETE')}}
    .delete({{#if (is access 'owner')}}ownItem{{else}}guard{{/if}}, documented({ summary: 'Delete one of {{kebabCase name}}', responses: { 204: noBody }, refusals: [404] }), validate({ params: itemParams }), async (req, res) => {
      await db.deleteFrom('{{snakeCase name}}').where('id', '=', (await find(req.params.id)).id).execute();
      res.status(204).end();
    })
{{/if}}
    .all(methodNotAllowed({{{itemMethods methods}}}));
{{/if}}

  return router;
}
