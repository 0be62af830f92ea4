import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI_BIN, CLI_NODE, tempDir } from '../support/cli.ts';
import { Terminal } from '../support/terminal.ts';

/** The prompts, on a real terminal: answers typed by hand must reach the generated project. */
describe('interactive run on a terminal', () => {
  it('asks what flags did not answer, shows a summary, and writes what was typed', async (t) => {
    const cwd = tempDir(t);
    const staging = tempDir(t, 'cse-tmp-');
    const term = Terminal.start([CLI_NODE, CLI_BIN, '--no-install', '--no-git', '--pm', 'npm'], cwd, { TMPDIR: staging });
    t.after(() => term.close());

    await term.answer(/Project folder/, 'typed-api');
    await term.answer(/Production origins/, 'http://evil.example.com');
    await term.waitFor(/production origins must use https/);
    await term.press('C-u');
    await term.type('https://app.example.com');
    await term.press('Enter');
    await term.answer(/Development origins/, '');
    await term.answer(/credentials\)\?/, 'y');
    await term.waitForQuestion(/Rate-limit tier/);
    await term.press('Up', 'Enter'); // standard -> strict
    await term.answer(/Adjust the limits \(global-limit 50\/15m, auth-limit 3\/15m\)\?/, 'y');
    await term.answer(/Global limit per client/, '40/10m');
    await term.answer(/Auth limit per client/, '');
    await term.answer(/Rate-limit store/, '');
    await term.waitForQuestion(/Node.js version/);
    await term.press('Down', 'Enter'); // 24 -> 22
    await term.answer(/Port/, '8081');
    const screen = await term.waitForQuestion(/Reverse proxies in front of the app/);
    assert.match(screen, /trusting more hops than you have lets clients forge it/);
    await term.answer(/Reverse proxies/, '1');
    await term.answer(/Add a Dockerfile\?/, 'n');
    const summary = await term.waitForQuestion(/Create the project\?/);
    assert.match(summary, /global-limit\s+40\/10m/);
    assert.match(summary, /trust-proxy\s+1/);
    await term.press('Enter');
    await term.waitFor(/__EXIT=0/);

    const { answers } = JSON.parse(readFileSync(join(cwd, 'typed-api', '.secure-express.json'), 'utf8'));
    assert.deepEqual(answers.origins, ['https://app.example.com']);
    assert.deepEqual(answers.devOrigins, ['http://localhost:3000', 'http://localhost:5173']);
    assert.equal(answers.credentials, true);
    assert.equal(answers.rateLimit, 'strict');
    assert.equal(answers.globalLimit, '40/10m');
    assert.equal(answers.authLimit, '3/15m');
    assert.equal(answers.node, 22);
    assert.equal(answers.port, 8081);
    assert.equal(answers.trustProxy, 1);
    assert.equal(answers.docker, false);
    assert.ok(!existsSync(join(cwd, 'typed-api', 'Dockerfile')));
    assert.deepEqual(readdirSync(staging), [], 'the staging folder was moved into place');
  });

  it('Ctrl-C at a prompt exits 130 and leaves nothing behind', async (t) => {
    const cwd = tempDir(t);
    const staging = tempDir(t, 'cse-tmp-');
    const term = Terminal.start([CLI_NODE, CLI_BIN, 'half-done', '--no-install', '--no-git'], cwd, { TMPDIR: staging });
    t.after(() => term.close());
    await term.answer(/Production origins/, 'https://app.example.com');
    await term.waitForQuestion(/Development origins/);
    await term.press('C-c');
    const screen = await term.waitFor(/__EXIT=\d+/);
    assert.match(screen, /__EXIT=130/);
    assert.match(screen, /cancelled; nothing was written/);
    assert.deepEqual(readdirSync(cwd), []);
    assert.deepEqual(readdirSync(staging), []);
  });

  it('declining the confirmation writes nothing', async (t) => {
    const cwd = tempDir(t);
    const term = Terminal.start([CLI_NODE, CLI_BIN, 'declined', '--no-install', '--no-git', '--origins', '', '--dev-origins', 'http://localhost:3000',
      '--no-credentials', '--rate-limit', 'standard', '--rate-limit-store', 'memory', '--node', '24', '--port', '3000', '--trust-proxy', '0',
      '--docker', '--pm', 'npm'], cwd, {});
    t.after(() => term.close());
    await term.answer(/Adjust the limits/, '');
    await term.answer(/Create the project\?/, 'n');
    const screen = await term.waitFor(/__EXIT=\d+/);
    assert.match(screen, /__EXIT=130/);
    assert.deepEqual(readdirSync(cwd), []);
  });
});
