import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { openKeyboard } from './scripts/keyboard.ts';

/**
 * `npm run new:route` adds a validated route under /api/v1 with a table of its own: the route module
 * (src/routes/<name>.ts), its migration (src/db/migrations/), its table's type (src/db/schema.ts), its
 * registration (src/routes/index.ts) and its test (test/<name>.test.ts), which proves the access rule.
 * `npm run new:migration` adds an unfinished, dated migration for you to fill in.
 *
 * On a terminal they ask; otherwise give the answers in order:
 *   npm run new:route -- orders GET,POST,DELETE owner
 *   npm run new:migration -- add_status_to_orders
 */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** What each write method lets a caller do, in the words the access question uses. */
const WRITES = { POST: 'create', PUT: 'change', PATCH: 'change', DELETE: 'delete' };

/** Who may call the route, as src/auth/access.ts enforces it. */
const ACCESS = {
  public: 'anyone, signed in or not',
  'signed-in': 'any signed-in user',
  owner: 'signed-in users, each to their own items (admins to all)',
  admin: 'admins only',
};

const USAGE = {
  route: `npm run new:route -- <name> <methods> <access>, e.g. npm run new:route -- orders GET,POST owner (methods: ${METHODS.join(',')}; access: ${Object.keys(ACCESS).join(', ')})`,
  migration: 'npm run new:migration -- <name>, e.g. npm run new:migration -- add_status_to_orders',
};

/**
 * Without a terminal there is nobody to ask: stop with one line naming the arguments, before a prompt
 * library fails on a closed input. More answers than questions is a mistake too (an unquoted name with
 * spaces), which plop would silently cut short.
 */
const [generator, ...given] = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const questions = { route: 3, migration: 1 };
if (generator in questions && given.length > questions[generator]) {
  process.stderr.write(`Too many answers (${given.join(' ')}): ${USAGE[generator]}; quote a name with spaces.\n`);
  process.exit(2);
}
const asks = generator in questions && given.length < questions[generator];
if (asks && !process.stdin.isTTY) {
  process.stderr.write(`No terminal to ask on: give the answers, ${USAGE[generator]}\n`);
  process.exit(2);
}
// Read from the start, so that keys typed while plop loads reach the questions they were meant for.
const keyboard = asks ? openKeyboard(process.stdin) : undefined;
/** Called as the actions start: every question is answered, and the terminal goes back to normal. */
const answered = () => keyboard?.close();

const kebab = (text) => text.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[\s_]+/g, '-').toLowerCase();
const timestamp = () => new Date().toISOString().replace(/\D/g, '').slice(0, 14);
/** "Add status to orders" becomes add_status_to_orders. */
const migrationName = (text) => text.trim().toLowerCase().replace(/[\s-]+/g, '_');
const listed = (words) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

/** What `public` or `signed-in` lets every caller do to the items, with these methods; '' when read-only. */
function writesAllowed(methods) {
  const verbs = [...new Set(methods.map((method) => WRITES[method]).filter(Boolean))];
  if (verbs.length === 0) return '';
  return `${listed(verbs)} ${verbs.length === 1 && verbs[0] === 'create' ? 'items' : "any item, other users' too"}`;
}

/** The warning a route with this rule and these methods deserves, in the prompt and in its file; '' if none. */
function accessWarning(access, methods) {
  const allowed = writesAllowed(methods);
  if (allowed === '' || !['public', 'signed-in'].includes(access)) return '';
  return access === 'public' ? `${ACCESS.public}, may ${allowed}` : `${ACCESS['signed-in']} may ${allowed}`;
}

/** @param {import('plop').NodePlopAPI} plop */
export default function plopfile(plop) {
  if (keyboard) plop.inquirer.prompt = plop.inquirer.createPromptModule({ input: keyboard.input });
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
  plop.setHelper('accessWarning', accessWarning);

  // The paths below are the project's own files and this plopfile's templates, never input.
  /* eslint-disable security/detect-non-literal-fs-filename */
  const inProject = (path) => join(plop.getDestBasePath(), path);
  const template = (path) => readFileSync(join(plop.getPlopfilePath(), path), 'utf8');

  // One action per file, so each file is listed once, as `create <path>` or `update <path>`.
  plop.setActionType('create', (answers, config) => {
    const path = plop.renderString(config.path, answers);
    try {
      writeFileSync(inProject(path), plop.renderString(template(config.templateFile), answers), { flag: 'wx' });
    } catch (error) {
      throw new Error(error.code === 'EEXIST' ? `${path} exists already` : error.message, { cause: error });
    }
    return path;
  });
  plop.setActionType('update', (answers, config) => {
    let text = readFileSync(inProject(config.path), 'utf8');
    for (const [marker, template] of config.edits) {
      if (!marker.test(text)) throw new Error(`${config.path} has lost its marker line ${marker.source}: put it back, or make this change by hand`);
      text = text.replace(marker, plop.renderString(template, answers));
    }
    writeFileSync(inProject(config.path), text);
    return config.path;
  });
  /* eslint-enable security/detect-non-literal-fs-filename */

  plop.setGenerator('route', {
    description: 'a validated route under /api/v1, with its table, its access rule and its tests',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'Resource name, plural (served at /api/v1/<name>):',
        validate: (value) => {
          if (!/^[a-z][a-z0-9-]{0,39}$/.test(value)) return `name: "${value}" is not a name: use lower-case letters, digits and dashes, starting with a letter (at most 40), e.g. orders or order-items.`;
          // eslint-disable-next-line security/detect-non-literal-fs-filename -- a name checked just above
          if (['users', 'auth'].includes(value) || existsSync(`src/routes/${kebab(value)}.ts`)) return `/api/v1/${value} exists already: choose another name.`;
          // Its table must not be one the app or its migrator already has.
          const table = value.replaceAll('-', '_');
          if (['users', 'sessions', 'settings', 'mail_tokens', 'migration_checksum'].includes(table) || table.startsWith('kysely')) return `the table ${table} exists already: choose another name.`;
          return true;
        },
      },
      {
        type: 'checkbox',
        name: 'methods',
        message: 'Methods:',
        choices: [
          { name: 'GET     list and read by id', value: 'GET', short: 'GET', checked: true },
          { name: 'POST    create', value: 'POST', short: 'POST', checked: true },
          { name: 'PUT     replace by id', value: 'PUT', short: 'PUT' },
          { name: 'PATCH   update by id', value: 'PATCH', short: 'PATCH' },
          { name: 'DELETE  remove by id', value: 'DELETE', short: 'DELETE' },
        ],
        // On the command line: GET,POST in any case; checked below like a choice made here.
        bypass: (value) => value.split(',').map((method) => method.trim().toUpperCase()),
        // Always in the same order, whatever order they were given in.
        filter: (methods) => METHODS.filter((method) => methods.includes(method)),
        validate: (methods) => {
          const unknown = methods.filter((method) => !METHODS.includes(method));
          if (unknown.length > 0) return `methods: ${unknown.join(', ')} is not one of ${METHODS.join(', ')}.`;
          return methods.length > 0 || `methods: choose at least one of ${METHODS.join(', ')}.`;
        },
      },
      {
        type: 'list',
        name: 'access',
        message: 'Who may call it?',
        // With write methods, `owner` unless chosen otherwise: the other open rules let callers change
        // what others made, and each says so.
        choices: ({ methods }) =>
          Object.entries(ACCESS).map(([value, description]) => {
            const warning = accessWarning(value, methods);
            return { name: `${value.padEnd(10)}${warning === '' ? description : warning}`, value, short: value };
          }),
        default: ({ methods }) => (writesAllowed(methods) === '' ? 'signed-in' : 'owner'),
        bypass: (value) => value.trim().toLowerCase(),
        validate: (value) => value in ACCESS || `access: ${value} is not one of ${Object.keys(ACCESS).join(', ')}.`,
      },
    ],
    actions: ({ name, access, methods }) => {
      answered();
      return [
        { type: 'create', path: 'src/routes/{{kebabCase name}}.ts', templateFile: 'plop-templates/route.ts.tpl' },
        { type: 'create', path: `src/db/migrations/${timestamp()}_create_{{snakeCase name}}.ts`, templateFile: 'plop-templates/table-migration.ts.tpl' },
        { type: 'create', path: 'test/{{kebabCase name}}.test.ts', templateFile: 'plop-templates/route.test.ts.tpl' },
        {
          type: 'update',
          path: 'src/db/schema.ts',
          edits: [
            [/^\/\/ new:route table types$/m, template('plop-templates/table-type.ts.tpl').trimEnd()],
            [/^( *)\/\/ new:route tables$/m, '$1{{snakeCase name}}: {{pascalCase name}}Table;\n$1// new:route tables'],
          ],
        },
        {
          type: 'update',
          path: 'src/routes/index.ts',
          edits: [
            [/^\/\/ new:route imports$/m, "import { {{camelCase name}}Router } from './{{kebabCase name}}.ts';\n// new:route imports"],
            [/^( *)\/\/ new:route mounts$/m, "$1router.use('/{{kebabCase name}}', {{camelCase name}}Router(services));\n$1// new:route mounts"],
          ],
        },
        `Next: npm test runs test/${kebab(name)}.test.ts, which proves the rule (${access}); ` +
          (accessWarning(access, methods) === '' ? '' : `mind that ${accessWarning(access, methods)}; `) +
          `then give the items their fields (src/routes/${kebab(name)}.ts and its migration).`,
      ];
    },
  });

  plop.setGenerator('migration', {
    description: 'an unfinished migration, named after the time it was made so migrations apply in order',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'What it changes, in a few words (add status to orders):',
        filter: migrationName,
        validate: (value) =>
          /^[a-z][a-z0-9_]{0,59}$/.test(migrationName(value)) ||
          `name: "${value}" is not a name: use letters, digits, spaces or underscores, starting with a letter (at most 60), e.g. add_status_to_orders.`,
      },
    ],
    actions: ({ name }) => {
      answered();
      const path = `src/db/migrations/${timestamp()}_${name}.ts`;
      return [
        { type: 'create', path, templateFile: 'plop-templates/migration.ts.tpl' },
        `Next: fill in ${path} (up() and down()), then delete its \`unfinished\` line: until then no migration is applied, not even by a running npm run dev.`,
      ];
    },
  });
}
