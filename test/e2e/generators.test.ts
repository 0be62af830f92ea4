import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { QUICK, runCli } from '../support/cli.ts';
import { mustPass, npm, projectEnv } from '../support/project.ts';
import { Terminal } from '../support/terminal.ts';

/**
 * The generated project's own generators, `npm run new:route` and `npm run new:migration`, as people
 * meet them: on a terminal (tmux), answers typed before the questions appear; without one, arguments;
 * and every access rule with every kind of method set, typechecked, linted and tested.
 */
const RULES = ['public', 'signed-in', 'owner', 'admin'] as const;
const METHOD_SETS = [['GET'], ['POST'], ['GET', 'POST'], ['GET', 'DELETE'], ['PUT', 'PATCH'], ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']] as const;
const FILES = (name: string) => [
  `create src/routes/${name}.ts`,
  `create src/db/migrations/\\d{14}_create_${name.replaceAll('-', '_')}.ts`,
  `create test/${name}.test.ts`,
  'update src/db/schema.ts',
  'update src/routes/index.ts',
];
const countOf = (text: string, pattern: string) => text.match(new RegExp(`^✔ +${pattern}$`, 'gm'))?.length ?? 0;

describe('generated project: new:route and new:migration', { concurrency: false }, () => {
  const env = projectEnv(24);
  const cwd = mkdtempSync(join(tmpdir(), 'cse-e2e-'));
  const dir = join(cwd, 'api');
  after(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  before(() => {
    const result = runCli(['api', ...QUICK], { cwd });
    assert.equal(result.code, 0, result.stderr);
    mustPass(npm(dir, ['install', '--prefer-offline', '--no-audit', '--no-fund'], env), 'npm install');
  });

  it('on a terminal: answers typed ahead are kept, echoed as answers, each file listed once, then what to do next', async (t) => {
    const terminal = Terminal.start(['npm', 'run', 'new:route'], dir, { PATH: env.PATH ?? '', npm_config_update_notifier: 'false' });
    t.after(() => terminal.close());
    // All of it before the first question shows: a name, DELETE added to GET and POST, and Enter on
    // the rule, whose default becomes owner once a write method is chosen.
    await terminal.type('orders');
    await terminal.press('Enter', 'Down', 'Down', 'Down', 'Down', 'Space', 'Enter', 'Enter');
    const screen = await terminal.waitFor(/__EXIT=\d+/, 60_000);
    assert.match(screen, /__EXIT=0/);
    assert.match(screen, /^\? Resource name, plural \(served at \/api\/v1\/<name>\): orders$/m);
    assert.match(screen, /^\? Methods: GET, POST, DELETE$/m);
    assert.match(screen, /^\? Who may call it\? owner$/m);
    for (const file of FILES('orders')) assert.equal(countOf(screen, file), 1, `${file} listed once:\n${screen}`);
    assert.match(screen, /^ℹ Next: npm test runs test\/orders\.test\.ts, which proves the rule \(owner\); then give the items their fields/m);
    assert.match(readFileSync(join(dir, 'src/routes/orders.ts'), 'utf8'), /requireOwner/);

    const migration = Terminal.start(['npm', 'run', 'new:migration'], dir, { PATH: env.PATH ?? '', npm_config_update_notifier: 'false' });
    t.after(() => migration.close());
    await migration.type('Add status to orders');
    await migration.press('Enter');
    const made = await migration.waitFor(/__EXIT=\d+/, 60_000);
    assert.match(made, /__EXIT=0/);
    assert.match(made, /^\? What it changes, in a few words \(add status to orders\): add_status_to_orders$/m);
    assert.equal(countOf(made, 'create src/db/migrations/\\d{14}_add_status_to_orders\\.ts'), 1, made);
    assert.match(made, /^ℹ Next: fill in src\/db\/migrations\/\d{14}_add_status_to_orders\.ts \(up\(\) and down\(\)\), then delete its `unfinished` line/m);
  });

  it('on a terminal: the rule question says what a public or signed-in write route allows, and a bad name lists what is accepted', async (t) => {
    const terminal = Terminal.start(['npm', 'run', 'new:route'], dir, { PATH: env.PATH ?? '', npm_config_update_notifier: 'false' });
    t.after(() => terminal.close());
    await terminal.answer(/Resource name/, 'Bad Name');
    await terminal.waitFor(/name: "Bad Name" is not a name: use lower-case letters, digits and dashes/);
    await terminal.press('C-u');
    await terminal.type('notes');
    await terminal.press('Enter');
    await terminal.waitForQuestion(/Methods/);
    await terminal.press('Down', 'Down', 'Space', 'Enter');
    const rules = await terminal.waitForQuestion(/Who may call it/);
    // (Inquirer ends each choice with a space.)
    assert.match(rules, /^ {2}public +anyone, signed in or not, may create and change any item, other users' too ?$/m);
    assert.match(rules, /^ {2}signed-in +any signed-in user may create and change any item, other users' too ?$/m);
    assert.match(rules, /^❯ owner +signed-in users, each to their own items/m);
    await terminal.choose(/^public/);
    const screen = await terminal.waitFor(/__EXIT=\d+/, 60_000);
    assert.match(screen, /^ℹ Next: .*mind that anyone, signed in or not, may create and change any item, other users' too;/m);
    assert.match(readFileSync(join(dir, 'src/routes/notes.ts'), 'utf8'), /^ \* Mind what that allows: anyone, signed in or not, may create and change any item, other users' too\.$/m);
  });

  it('on a terminal: Ctrl-C at a question ends with 130, writes nothing and gives the terminal back', async (t) => {
    const terminal = Terminal.start(['sh', '-c', 'npm run new:route; code=$?; stty -a | grep -o -- "-icanon" || echo cooked; exit $code'], dir, {
      PATH: env.PATH ?? '',
      npm_config_update_notifier: 'false',
    });
    t.after(() => terminal.close());
    await terminal.answer(/Resource name/, 'halfway');
    await terminal.waitForQuestion(/Methods/);
    await terminal.press('C-c');
    const screen = await terminal.waitFor(/__EXIT=\d+/, 60_000);
    assert.match(screen, /^cooked\n__EXIT=130$/m);
    assert.equal(existsSync(join(dir, 'src/routes/halfway.ts')), false);
  });

  it('without a terminal: one line naming the arguments; a bad value lists the valid ones; nothing is written', () => {
    const cases: [string[], RegExp][] = [
      [['new:route'], /^No terminal to ask on: give the answers, npm run new:route -- <name> <methods> <access>, e\.g\. .*\(methods: GET,POST,PUT,PATCH,DELETE; access: public, signed-in, owner, admin\)$/m],
      [['new:migration'], /^No terminal to ask on: give the answers, npm run new:migration -- <name>/m],
      [['new:route', '--', 'items', 'GET,FETCH', 'owner'], /methods: FETCH is not one of GET, POST, PUT, PATCH, DELETE\.$/m],
      [['new:route', '--', 'items', 'GET', 'everyone'], /access: everyone is not one of public, signed-in, owner, admin\.$/m],
      [['new:route', '--', 'Items!', 'GET', 'owner'], /name: "Items!" is not a name: use lower-case letters, digits and dashes/m],
      [['new:migration', '--', 'add', 'status'], /^Too many answers \(add status\): npm run new:migration -- <name>.*; quote a name with spaces\.$/m],
    ];
    for (const [args, message] of cases) {
      const step = npm(dir, ['run', ...args], env);
      assert.notEqual(step.code, 0, args.join(' '));
      // Plop colours its lines wherever its colour library finds a reason to (CI=true is one).
      assert.match(stripVTControlCharacters(step.output), message, args.join(' '));
    }
    assert.equal(existsSync(join(dir, 'src/routes/items.ts')), false);
    assert.equal(readdirSync(join(dir, 'src/db/migrations')).filter((name) => /_add\.ts$|_items\.ts$/.test(name)).length, 0);

    // Arguments in any case, a migration name with spaces in quotes.
    mustPass(npm(dir, ['run', 'new:route', '--', 'items', 'get,Post', 'ADMIN'], env), 'new:route in any case');
    assert.match(readFileSync(join(dir, 'src/routes/items.ts'), 'utf8'), /requireRole\('admin'\)/);
    const made = npm(dir, ['run', 'new:migration', '--', 'Add colour to items'], env);
    mustPass(made, 'new:migration with spaces');
    assert.match(stripVTControlCharacters(made.output), /create src\/db\/migrations\/\d{14}_add_colour_to_items\.ts$/m);
  });

  it('every access rule with every kind of method set typechecks, lints and passes its own tests', () => {
    for (const rule of RULES) {
      for (const methods of METHOD_SETS) {
        const name = `${rule}-${methods.join('-').toLowerCase()}`;
        mustPass(npm(dir, ['run', 'new:route', '--', name, methods.join(','), rule], env), `new:route ${name}`);
        const warned = /Mind what that allows/.test(readFileSync(join(dir, `src/routes/${name}.ts`), 'utf8'));
        const writes = methods.some((method) => method !== 'GET');
        assert.equal(warned, writes && (rule === 'public' || rule === 'signed-in'), `${name}: the comment on what the rule allows`);
      }
    }
    // The unfinished migrations made above typecheck and lint as they are...
    mustPass(npm(dir, ['run', 'typecheck'], env), 'typecheck');
    mustPass(npm(dir, ['run', 'lint'], env), 'lint');
    // ...and, until filled in, stop everything that migrates, tests included: they go before the tests.
    const unfinished = readdirSync(join(dir, 'src/db/migrations')).filter((name) => /_add_(status_to_orders|colour_to_items)\.ts$/.test(name));
    assert.equal(unfinished.length, 2);
    for (const name of unfinished) rmSync(join(dir, 'src/db/migrations', name));
    const step = npm(dir, ['test'], env);
    mustPass(step, 'npm test');
    assert.match(step.output, /(ℹ|#) fail 0/);
    for (const rule of RULES) assert.match(step.output, new RegExp(`${rule}-get-post-put-patch-delete`));
  });
});
