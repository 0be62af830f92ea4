/**
 * `npm run new:route` adds a validated route under /api/v1: the route module with its zod schemas
 * (src/routes/<name>.ts), its registration in src/routes/index.ts and its test (test/<name>.test.ts).
 *
 * Interactive: `npm run new:route`. Without prompts, give the answers in order, the methods as a
 * comma-separated list: `npm run new:route -- orders GET,POST,DELETE`.
 *
 * GET serves the list and each item; POST creates; PUT replaces, PATCH updates and DELETE removes an
 * item by id.
 */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** @param {import('plop').NodePlopAPI} plop */
export default function plopfile(plop) {
  plop.setHelper('has', (list, method) => Array.isArray(list) && list.includes(method));
  plop.setHelper('collectionMethods', (list) =>
    ['GET', 'POST'].filter((method) => list.includes(method)).map((method) => `'${method}'`).join(', '),
  );
  plop.setHelper('bodyMethods', (list) => ['POST', 'PUT', 'PATCH'].some((method) => list.includes(method)));
  plop.setHelper('itemMethods', (list) =>
    ['GET', 'PUT', 'PATCH', 'DELETE'].filter((method) => list.includes(method)).map((method) => `'${method}'`).join(', '),
  );

  plop.setGenerator('route', {
    description: 'a validated route under /api/v1 with its test',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'Resource name, plural (served at /api/v1/<name>):',
        validate: (value) =>
          /^[a-z][a-z0-9-]{0,39}$/.test(value) || 'Use lower-case letters, digits and dashes, starting with a letter.',
      },
      {
        type: 'checkbox',
        name: 'methods',
        message: 'Methods:',
        choices: [
          { name: 'GET     list and read by id', value: 'GET', checked: true },
          { name: 'POST    create', value: 'POST', checked: true },
          { name: 'PUT     replace by id', value: 'PUT' },
          { name: 'PATCH   update by id', value: 'PATCH' },
          { name: 'DELETE  remove by id', value: 'DELETE' },
        ],
        // Always in the same order, whatever order they were given in.
        filter: (methods) => METHODS.filter((method) => methods.includes(method)),
        validate: (methods) => methods.length > 0 || 'Choose at least one method.',
      },
    ],
    actions: [
      {
        type: 'add',
        path: 'src/routes/{{kebabCase name}}.ts',
        templateFile: 'plop-templates/route.ts.tpl',
        abortOnFail: true,
      },
      {
        type: 'add',
        path: 'test/{{kebabCase name}}.test.ts',
        templateFile: 'plop-templates/route.test.ts.tpl',
        abortOnFail: true,
      },
      {
        type: 'modify',
        path: 'src/routes/index.ts',
        pattern: /^\/\/ new:route imports$/m,
        template: "import { {{camelCase name}}Router } from './{{kebabCase name}}.ts';\n// new:route imports",
      },
      {
        type: 'modify',
        path: 'src/routes/index.ts',
        pattern: /^( *)\/\/ new:route mounts$/m,
        template: "$1router.use('/{{kebabCase name}}', {{camelCase name}}Router());\n$1// new:route mounts",
      },
    ],
  });
}
