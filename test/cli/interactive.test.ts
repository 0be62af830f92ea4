import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI_BIN, CLI_NODE, tempDir } from '../support/cli.ts';
import { freePort } from '../support/project.ts';
import { Terminal } from '../support/terminal.ts';

/** The prompts, on a real terminal: answers typed by hand must reach the generated project. */
const answersOf = (dir: string) => JSON.parse(readFileSync(join(dir, '.secure-express.json'), 'utf8'));
const QUIET = ['--no-install', '--no-git', '--pm', 'npm'];

describe('interactive run on a terminal', () => {
  it('asks only what has no safe default, then the summary; "Change something" reaches any other answer', async (t) => {
    const cwd = tempDir(t);
    const staging = tempDir(t, 'cse-tmp-');
    const term = Terminal.start([CLI_NODE, CLI_BIN, ...QUIET], cwd, { TMPDIR: staging });
    t.after(() => term.close());

    assert.match(await term.waitForQuestion(/Project folder/), /^create-secure-express \d+\.\d+\.\d+ /m, 'an intro line with the version');
    await term.answer(/Project folder/, 'typed-api');
    await term.answer(/Production origins/, 'http://evil.example.com');
    await term.waitFor(/production origins must use https/);
    await term.press('C-u');
    await term.type('https://app.example.com');
    await term.press('Enter');
    await term.waitForQuestion(/Database/);
    await term.choose(/^postgres/);
    const proxies = await term.waitForQuestion(/Reverse proxies in front of the app/);
    assert.match(proxies, /0 when clients reach the app directly, 1 behind one load balancer or reverse proxy/, 'a hint says what number to give');
    assert.match(proxies, /trusting more hops than you have lets clients forge it/);
    await term.answer(/Reverse proxies/, '1');

    const summary = await term.waitForQuestion(/Create the project\?/);
    assert.match(summary, /^ {2}rate-limit +standard +default$/m);
    assert.match(summary, /^ {2}global-limit +100\/15m +default$/m);
    assert.match(summary, /^ {2}trust-proxy +1 +asked$/m);
    assert.match(summary, /^ {2}install +no +flag$/m, 'each answer says where it came from');
    assert.doesNotMatch(summary, /Development origins|Rate-limit tier|Port|Dockerfile/, 'nothing else was asked');

    const change = async (option: RegExp) => {
      await term.waitForQuestion(/Create the project\?/);
      await term.choose(/^Change something/);
      await term.waitForQuestion(/Change which answer\?/);
      await term.choose(option);
    };
    await change(/^rate-limit +standard/);
    const tiers = await term.waitForQuestion(/Rate-limit tier/);
    assert.match(tiers, /strict +global 50\/15m, auth 3\/15m/, 'tier choices show their numbers');
    await term.press('Up', 'Enter'); // standard -> strict
    assert.match(await term.waitForQuestion(/Create the project\?/), /^ {2}global-limit +50\/15m +default$/m, 'the limits followed the tier');
    await change(/^global-limit/);
    await term.answer(/Global limit per client/, '40/10m');
    await change(/^node/);
    await term.choose(/^22/);
    await change(/^port/);
    await term.answer(/Port/, '8081');
    await change(/^docker/);
    await term.answer(/Add a Dockerfile\?/, 'n');
    await change(/^rate-limit-store/);
    await term.choose(/^redis/);
    // A change that the rest cannot go with: the store is asked again, offering only what fits.
    await change(/^db/);
    await term.choose(/^sqlite/);
    const store = await term.waitForQuestion(/Rate-limit store/);
    assert.doesNotMatch(store.slice(store.lastIndexOf('? Rate-limit store')), /redis/);
    await term.press('Enter');

    const final = await term.waitForQuestion(/Create the project\?/);
    assert.match(final, /^ {2}global-limit +40\/10m +asked$/m);
    assert.match(final, /^ {2}port +8081 +asked$/m);
    await term.choose(/^Create it/);
    const closing = await term.waitFor(/__EXIT=0/);
    assert.match(closing, /Its protections, each with a test:\n {2}headers/);
    assert.match(closing, /Next steps:\n {2}cd typed-api\n/);

    const { answers } = answersOf(join(cwd, 'typed-api'));
    assert.deepEqual(answers.origins, ['https://app.example.com']);
    assert.deepEqual(answers.devOrigins, ['http://localhost:5173'], "the API's own port is its own origin, not a cross-origin one");
    assert.equal(answers.rateLimit, 'strict');
    assert.equal(answers.globalLimit, '40/10m');
    assert.equal(answers.authLimit, '3/15m');
    assert.equal(answers.db, 'sqlite');
    assert.equal(answers.rateLimitStore, 'memory');
    assert.equal(answers.node, 22);
    assert.equal(answers.port, 8081);
    assert.equal(answers.trustProxy, 1);
    assert.equal(answers.docker, false);
    assert.ok(!existsSync(join(cwd, 'typed-api', 'Dockerfile')));
    assert.deepEqual(readdirSync(staging), [], 'the staging folder was moved into place');
  });

  it('a default project takes five keypresses: the folder, three questions, and Create', async (t) => {
    const cwd = tempDir(t);
    const term = Terminal.start([CLI_NODE, CLI_BIN, ...QUIET], cwd, {});
    t.after(() => term.close());
    let presses = 0;
    for (const question of [/Project folder/, /Production origins/, /Database/, /Reverse proxies/, /Create the project\?/]) {
      await term.waitForQuestion(question);
      await term.press('Enter');
      presses++;
    }
    await term.waitFor(/__EXIT=0/);
    assert.equal(presses, 5);
    assert.ok(existsSync(join(cwd, 'my-api', 'package.json')));
  });

  it('keeps keys typed ahead of the questions', async (t) => {
    const cwd = tempDir(t);
    const term = Terminal.start([CLI_NODE, CLI_BIN, ...QUIET], cwd, {});
    t.after(() => term.close());
    await term.waitForQuestion(/Project folder/);
    // Every answer at once, before the second question is even drawn.
    await term.type('ahead\rhttps://a.example.com\r\u001B[B\r2\r\r');
    await term.waitFor(/__EXIT=0/);
    const { answers } = answersOf(join(cwd, 'ahead'));
    assert.deepEqual(answers.origins, ['https://a.example.com']);
    assert.equal(answers.db, 'postgres');
    assert.equal(answers.trustProxy, 2);
  });

  it('a folder name that is no package name asks for the name; a scoped one is kept', async (t) => {
    const cwd = tempDir(t);
    const term = Terminal.start([CLI_NODE, CLI_BIN, ...QUIET, '--origins', '', '--db', 'sqlite', '--trust-proxy', '0'], cwd, {});
    t.after(() => term.close());
    await term.answer(/Project folder/, 'Über API');
    const asked = await term.waitForQuestion(/Package name \(uber-api\)/);
    assert.match(asked, /npm package names are lowercase/);
    await term.answer(/Package name/, '');
    await term.answer(/Create the project\?/, '');
    await term.waitFor(/__EXIT=0/);
    assert.equal(answersOf(join(cwd, 'Über API')).answers.name, 'uber-api');

    const scoped = Terminal.start([CLI_NODE, CLI_BIN, ...QUIET, '--origins', '', '--db', 'sqlite', '--trust-proxy', '0'], cwd, {});
    t.after(() => scoped.close());
    await scoped.answer(/Project folder/, '@acme/orders');
    const summary = await scoped.waitForQuestion(/Create the project\?/);
    assert.match(summary, /^ {2}name +@acme\/orders +default$/m);
    assert.doesNotMatch(summary, /Package name/);
    await scoped.press('Enter');
    await scoped.waitFor(/__EXIT=0/);
    assert.equal(answersOf(join(cwd, 'orders')).answers.name, '@acme/orders');
  });

  it('a non-empty folder at the prompt is offered to add to, not just refused', async (t) => {
    const cwd = tempDir(t);
    mkdirSync(join(cwd, 'my-api'));
    writeFileSync(join(cwd, 'my-api', 'notes.txt'), 'mine');
    const term = Terminal.start([CLI_NODE, CLI_BIN, ...QUIET, '--origins', '', '--db', 'sqlite', '--trust-proxy', '0'], cwd, {});
    t.after(() => term.close());
    await term.waitForQuestion(/Project folder \(my-api-2\)/);
    await term.answer(/Project folder/, 'my-api');
    await term.answer(/my-api is not empty\. Add the project to it\? \(nothing is deleted; files it replaces are listed first\)/, 'n');
    await term.answer(/Project folder/, 'my-api');
    await term.answer(/my-api is not empty\. Add the project to it\?/, 'y');
    await term.answer(/Create the project\?/, '');
    await term.waitFor(/__EXIT=0/);
    assert.equal(readFileSync(join(cwd, 'my-api', 'notes.txt'), 'utf8'), 'mine');
    assert.ok(existsSync(join(cwd, 'my-api', 'package.json')));

    // Named on the command line, the same offer; declined, nothing is written.
    mkdirSync(join(cwd, 'other'));
    writeFileSync(join(cwd, 'other', 'notes.txt'), 'mine');
    const named = Terminal.start([CLI_NODE, CLI_BIN, 'other', ...QUIET], cwd, {});
    t.after(() => named.close());
    await named.answer(/other is not empty\. Add the project to it\?/, 'n');
    const screen = await named.waitFor(/__EXIT=\d+/);
    assert.match(screen, /error: other is not empty; nothing was written \(choose another folder, or pass --force\)\n__EXIT=130/);
    assert.deepEqual(readdirSync(join(cwd, 'other')), ['notes.txt']);
  });

  it('with CI set on a terminal, says that CI is why nothing is asked', async (t) => {
    const cwd = tempDir(t);
    const term = Terminal.start([CLI_NODE, CLI_BIN, 'my-api', '--no-install'], cwd, { CI: '1' });
    t.after(() => term.close());
    const screen = await term.waitFor(/__EXIT=\d+/);
    assert.match(screen, /error: CI is set, so nothing is asked \(unset it to answer here\): give --origins, --db, --trust-proxy, or pass --yes/);
    assert.match(screen, /__EXIT=2/);
  });

  it('Ctrl-C at a prompt exits 130 and leaves nothing behind', async (t) => {
    const cwd = tempDir(t);
    const staging = tempDir(t, 'cse-tmp-');
    const term = Terminal.start([CLI_NODE, CLI_BIN, 'half-done', '--no-install', '--no-git'], cwd, { TMPDIR: staging });
    t.after(() => term.close());
    await term.answer(/Production origins/, 'https://app.example.com');
    await term.waitForQuestion(/Database/);
    await term.press('C-c');
    const screen = await term.waitFor(/__EXIT=\d+/);
    assert.match(screen, /__EXIT=130/);
    assert.match(screen, /cancelled; nothing was written/);
    assert.deepEqual(readdirSync(cwd), []);
    assert.deepEqual(readdirSync(staging), []);
  });

  it('Cancel at the summary writes nothing, and is no error: exit 0', async (t) => {
    const cwd = tempDir(t);
    const term = Terminal.start([CLI_NODE, CLI_BIN, 'declined', ...QUIET, '--origins', '', '--db', 'sqlite', '--trust-proxy', '0'], cwd, {});
    t.after(() => term.close());
    await term.waitForQuestion(/Create the project\?/);
    await term.choose(/^Cancel/);
    const screen = await term.waitFor(/__EXIT=\d+/);
    assert.match(screen, /^Cancelled; nothing was written\.\n__EXIT=0$/m);
    assert.doesNotMatch(screen, /error:/);
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('Ctrl-C during the install keeps the project and says how to finish, on a clean line', async (t) => {
    const cwd = tempDir(t);
    const bin = tempDir(t, 'cse-bin-');
    writeFileSync(join(bin, 'pnpm'), '#!/bin/sh\nsleep 30\n', { mode: 0o755 });
    const term = Terminal.start([CLI_NODE, CLI_BIN, 'slow', '--pm', 'pnpm', '--origins', '', '--db', 'sqlite', '--trust-proxy', '0'], cwd, {
      PATH: `${bin}:${process.env.PATH}`,
    });
    t.after(() => term.close());
    await term.answer(/Create the project\?/, '');
    await term.waitFor(/Installing dependencies with pnpm… \d+s/);
    await term.waitFor(/Installing dependencies with pnpm… [1-9]\d*s/); // the spinner counts
    await term.press('C-c');
    const screen = await term.waitFor(/__EXIT=\d+/);
    assert.match(screen, /__EXIT=130/);
    assert.match(screen, /^error: cancelled: slow is in place, without its dependencies and a git repository; to finish: cd slow && pnpm install && git init/m);
    assert.ok(existsSync(join(cwd, 'slow', 'package.json')));
  });

  it('a team template: its defaults are offered, its locks and removals are not asked, its question has no "undefined"', async (t) => {
    const template = tempDir(t, 'cse-template-');
    writeFileSync(
      join(template, 'secure-express.template.json'),
      JSON.stringify({
        name: 'acme-api',
        defaults: { origins: ['https://app.acme.test'], port: 8080 },
        locked: ['trustProxy'],
        remove: ['Dockerfile', '.dockerignore'],
        questions: [{ name: 'ownerEmail', message: "Owning team's email", pattern: '^[^@\\s]+@[^@\\s]+$', required: true }],
      }),
    );
    const cwd = tempDir(t);
    const term = Terminal.start([CLI_NODE, CLI_BIN, 'svc', ...QUIET, '--template', template], cwd, {});
    t.after(() => term.close());
    await term.waitForQuestion(/Production origins allowed to call the API .*\(https:\/\/app\.acme\.test\)/);
    await term.answer(/Production origins/, '');
    await term.answer(/Database/, '');
    const email = await term.waitForQuestion(/Owning team's email/);
    assert.doesNotMatch(email, /undefined/);
    await term.press('Enter');
    await term.waitFor(/an answer is required/);
    await term.type('nobody');
    await term.press('Enter');
    const refused = await term.waitFor(/"nobody" is not accepted/);
    assert.doesNotMatch(refused, /\^\[/, 'no raw regex');
    await term.press('C-u');
    await term.answer(/Owning team's email/, 'orders@acme.test');

    const summary = await term.waitForQuestion(/Create the project\?/);
    assert.doesNotMatch(summary, /Reverse proxies|Dockerfile\?/, 'locked and removed answers are not asked');
    assert.match(summary, /^Project svc from template acme-api$/m);
    assert.match(summary, /^ {2}trust-proxy +0 +locked by acme-api$/m);
    assert.match(summary, /^ {2}docker +no +locked by acme-api: it removes Dockerfile$/m);
    assert.match(summary, /^ {2}port +8080 +team default$/m);
    await term.choose(/^Change something/);
    const menu = await term.waitForQuestion(/Change which answer\?/);
    const choices = menu.slice(menu.lastIndexOf('Change which answer?'));
    assert.doesNotMatch(choices, /trust-proxy|docker/, 'locked answers cannot be picked');
    assert.match(choices, /^ {2}ownerEmail +orders@acme\.test$/m, 'the template\'s own question can be');
    await term.choose(/^port/);
    await term.answer(/Port/, '9090');
    await term.answer(/Create the project\?/, '');
    await term.waitFor(/__EXIT=0/);

    const target = join(cwd, 'svc');
    const { answers, vars } = answersOf(target);
    assert.deepEqual(answers.origins, ['https://app.acme.test']);
    assert.equal(answers.port, 9090);
    assert.equal(answers.docker, false);
    assert.deepEqual(vars, { ownerEmail: 'orders@acme.test' });
    assert.ok(!existsSync(join(target, 'Dockerfile')));
    assert.doesNotMatch(readFileSync(join(target, 'README.md'), 'utf8'), /docker build/);
  });
});

describe('start now, on a Node that runs the project', () => {
  const node24 = process.env.CSE_NODE24_BIN ?? '';
  const skip = node24 ? false : 'CSE_NODE24_BIN not set';
  /** The CLI on Node 24, with that Node first on PATH for the project's own scripts. */
  const startOn24 = (cwd: string, port: number) =>
    Terminal.start(
      [join(node24, 'node'), CLI_BIN, 'now-api', ...QUIET, '--origins', '', '--db', 'sqlite', '--trust-proxy', '0', '--port', String(port)],
      cwd,
      // The generator is not on the registry: the project pins the packed one, which its install can reach.
      { PATH: `${node24}${delimiter}${process.env.PATH ?? ''}`, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false', CSE_GENERATOR_SPEC: `file:${process.env.CSE_TARBALL ?? ''}` },
    );

  it('declined, the run ends there: exit 0, nothing installed', { skip }, async (t) => {
    const cwd = tempDir(t);
    const term = startOn24(cwd, await freePort());
    t.after(() => term.close());
    await term.answer(/Create the project\?/, '');
    await term.answer(/Install with npm and start the dev server now\?/, 'n');
    assert.match(await term.waitFor(/__EXIT=\d+/), /__EXIT=0/);
    assert.ok(existsSync(join(cwd, 'now-api', 'package.json')));
    assert.ok(!existsSync(join(cwd, 'node_modules')) && !existsSync(join(cwd, 'now-api', 'node_modules')));
  });

  it('Ctrl-C at the offer keeps the project and says how to start it: exit 130', { skip }, async (t) => {
    const cwd = tempDir(t);
    const term = startOn24(cwd, await freePort());
    t.after(() => term.close());
    await term.answer(/Create the project\?/, '');
    await term.waitForQuestion(/Install with npm and start the dev server now\?/);
    await term.press('C-c');
    const screen = await term.waitFor(/__EXIT=\d+/);
    assert.match(screen, /error: cancelled: now-api is in place; to start it: cd now-api && npm install && npm run dev\n__EXIT=130/);
    assert.ok(existsSync(join(cwd, 'now-api', 'package.json')));
  });

  it('accepted, installs and starts the dev server, which prints its address; Ctrl-C stops it and the run exits 0', { skip, timeout: 240_000 }, async (t) => {
    const cwd = tempDir(t);
    const port = await freePort();
    const term = startOn24(cwd, port);
    t.after(() => term.close());
    await term.answer(/Create the project\?/, '');
    await term.answer(/Install with npm and start the dev server now\?/, '');
    await term.waitFor(new RegExp(`Local: http://127\\.0\\.0\\.1:${port}`), 180_000);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    await term.press('C-c');
    const screen = await term.waitFor(/__EXIT=\d+/);
    assert.match(screen, /__EXIT=0/);
    assert.doesNotMatch(screen, /error:/);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'the dev server is gone with it');
  });
});
