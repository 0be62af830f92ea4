import { existsSync } from 'node:fs';
import process from 'node:process';

/**
 * `npm run new:route` adds a validated route under /api/v1 with a table of its own: the route module
 * (src/routes/<name>.ts), its migration (src/db/migrations/), its table's type (src/db/schema.ts), its
 * registration (src/routes/index.ts) and its test (test/<name>.test.ts), which proves the access rule.
 * `npm run new:migration` adds an empty, dated migration.
 *
 * On a terminal they ask; otherwise give the answers in order:
 *   npm run new:route -- orders GET,POST,DELETE owner
 *   npm run new:migration -- add_status_to_orders
 */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Who may call the route, as src/auth/access.ts enforces it. */
const ACCESS = {
  public: 'anyone, signed in or not',
  'signed-in': 'any signed-in user',
  owner: 'signed-in users, each to their own items (admins to all)',
  admin: 'admins only',
};

const USAGE = {
  route: `npm run new:route -- <name> <methods> <access>, e.g. npm run new:route -- orders GET,POST signed-in (access: ${Object.keys(ACCESS).join(', ')})`,
  migration: 'npm run new:migration -- <name>, e.g. npm run new:migration -- add_status_to_orders',
};

/**
 * Without a terminal there is nobody to ask: stop with one line naming the arguments, before a prompt
 * library fails on a closed input.
 */
const [generator, ...answers] = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const prompts = { route: 3, migration: 1 };
if (!process.stdin.isTTY && generator in prompts && answers.length < prompts[generator]) {
  process.stderr.write(`No terminal to ask on: give the answers, ${USAGE[generator]}\n`);
  process.exit(2);
}

const kebab = (text) => text.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[\s_]+/g, '-').toLowerCase();
const timestamp = () => new Date().toISOString().replace(/\D/g, '').slice(0, 14);

/** @param {import('plop').NodePlopAPI} plop */
export default function plopfile(plop) {
  plop.setHelper('has', (list, method) => Array.isArray(list) && list.includes(method));
  plop.setHelper('is', (a, b) => a === b);
  plop.setHelper('collectionMethods', (list) =>
    ['GET', 'POST'].filter((method) => list.includes(method)).map((method) => `'${method}'`).join(', '),
  );
  plop.setHelper('bodyMethods', (list) => ['POST', 'PUT', 'PATCH'].some((method) => list.includes(method)));
  plop.setHelper('itemMethods', (list) =>
    ['GET', 'PUT', 'PATCH', 'DELETE'].filter((method) => list.includes(method)).map((method) => `'${method}'`).join(', '),
  );
  plop.setHelper('showsItems', (list) => ['GET', 'POST', 'PUT', 'PATCH'].some((method) => list.includes(method)));
  plop.setHelper('timestamp', timestamp);

  plop.setGenerator('route', {
    description: 'a validated route under /api/v1, with its table, its access rule and its tests',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'Resource name, plural (served at /api/v1/<name>):',
        validate: (value) => {
          if (!/^[a-z][a-z0-9-]{0,39}$/.test(value)) return 'Use lower-case letters, digits and dashes, starting with a letter (at most 40).';
          // eslint-disable-next-line security/detect-non-literal-fs-filename -- a name checked just above
          if (['users', 'auth'].includes(value) || existsSync(`src/routes/${kebab(value)}.ts`)) return `/api/v1/${value} exists already: choose another name.`;
          // Its table must not be one the app or its migrator already has.
          const table = value.replaceAll('-', '_');
          if (['users', 'sessions', 'settings', 'migration_checksum'].includes(table) || table.startsWith('kysely')) return `the table ${table} exists already: choose another name.`;
          return true;
        },
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
        validate: (methods) => methods.length > 0 || `Choose at least one of ${METHODS.join(', ')}.`,
      },
      {
        type: 'list',
        name: 'access',
        message: 'Who may call it?',
        choices: Object.entries(ACCESS).map(([value, description]) => ({ name: `${value.padEnd(10)}${description}`, value })),
        default: 'signed-in',
      },
    ],
    actions: [
      { type: 'add', path: 'src/routes/{{kebabCase name}}.ts', templateFile: 'plop-templates/route.ts.tpl', abortOnFail: true },
      { type: 'add', path: 'src/db/migrations/{{timestamp}}_create_{{snakeCase name}}.ts', templateFile: 'plop-templates/table-migration.ts.tpl', abortOnFail: true },
      { type: 'add', path: 'test/{{kebabCase name}}.test.ts', templateFile: 'plop-templates/route.test.ts.tpl', abortOnFail: true },
      {
        type: 'modify',
        path: 'src/db/schema.ts',
        pattern: /^\/\/ new:route table types$/m,
        templateFile: 'plop-templates/table-type.ts.tpl',
      },
      {
        type: 'modify',
        path: 'src/db/schema.ts',
        pattern: /^( *)\/\/ new:route tables$/m,
        template: '$1{{snakeCase name}}: {{pascalCase name}}Table;\n$1// new:route tables',
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
        template: "$1router.use('/{{kebabCase name}}', {{camelCase name}}Router(services));\n$1// new:route mounts",
      },
    ],
  });

  plop.setGenerator('migration', {
    description: 'an empty migration, named after the time it was made so migrations apply in order',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'What it changes, in a few words (add_status_to_orders):',
        validate: (value) => /^[a-z][a-z0-9_]{0,59}$/.test(value) || 'Use lower-case letters, digits and underscores, starting with a letter (at most 60).',
      },
    ],
    actions: [{ type: 'add', path: 'src/db/migrations/{{timestamp}}_{{name}}.ts', templateFile: 'plop-templates/migration.ts.tpl', abortOnFail: true }],
  });
}
