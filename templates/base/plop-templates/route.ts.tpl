{{#if (has methods 'POST')}}
import { randomUUID } from 'node:crypto';
{{/if}}
import { Router } from 'express';
import { z } from 'zod';
{{#if (itemMethods methods)}}
import { HttpError } from '../http/http-error.ts';
{{/if}}
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { validate } from '../http/validate.ts';

{{#if (bodyMethods methods)}}
// What a client may send. Strict: a field not named here is a 400, never passed on (mass assignment).
// Bound every string and number.
const itemBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
});
{{/if}}
{{#if (itemMethods methods)}}
{{#if (bodyMethods methods)}}

{{/if}}
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

{{#if (bodyMethods methods)}}
interface Item extends z.output<typeof itemBody> {
  readonly id: string;
}
{{else}}
interface Item {
  readonly id: string;
  readonly name: string;
}
{{/if}}

/** /api/v1/{{kebabCase name}}: kept in memory as an example; replace the Map with your storage. */
export function {{camelCase name}}Router(): Router {
  const items = new Map<string, Item>();
  const router = Router();
{{#if (itemMethods methods)}}

  const find = (id: string): Item => {
    const item = items.get(id);
    if (!item) throw new HttpError(404, 'Nothing has this id.');
    return item;
  };
{{/if}}
{{#if (collectionMethods methods)}}

  router
    .route('/')
{{#if (has methods 'GET')}}
    .get(validate({ query: listQuery }), (req, res) => {
      res.json({ items: [...items.values()].slice(0, req.query.limit) });
    })
{{/if}}
{{#if (has methods 'POST')}}
    .post(validate({ body: itemBody }), (req, res) => {
      const item: Item = { ...req.body, id: randomUUID() };
      items.set(item.id, item);
      res.status(201).location(`${req.baseUrl}/${item.id}`).json(item);
    })
{{/if}}
    .all(methodNotAllowed({{{collectionMethods methods}}}));
{{/if}}
{{#if (itemMethods methods)}}

  router
    .route('/:id')
{{#if (has methods 'GET')}}
    .get(validate({ params: itemParams }), (req, res) => {
      res.json(find(req.params.id));
    })
{{/if}}
{{#if (has methods 'PUT')}}
    .put(validate({ params: itemParams, body: itemBody }), (req, res) => {
      const item: Item = { ...req.body, id: find(req.params.id).id };
      items.set(item.id, item);
      res.json(item);
    })
{{/if}}
{{#if (has methods 'PATCH')}}
    .patch(validate({ params: itemParams, body: itemBody.partial() }), (req, res) => {
      const current = find(req.params.id);
      const item: Item = { ...current, name: req.body.name ?? current.name };
      items.set(item.id, item);
      res.json(item);
    })
{{/if}}
{{#if (has methods 'DELETE')}}
    .delete(validate({ params: itemParams }), (req, res) => {
      items.delete(find(req.params.id).id);
      res.status(204).end();
    })
{{/if}}
    .all(methodNotAllowed({{{itemMethods methods}}}));
{{/if}}

  return router;
}
