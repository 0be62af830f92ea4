import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI_NODE, QUICK, runCli, tempDir } from '../support/cli.ts';

/**
 * A generated project's scripts on the machine's older Node (the one the CLI runs on, 20 here): each
 * says in one line which Node it needs, the one it found and how to switch, and exits non-zero; no
 * stack trace, and nothing needs installing first.
 */
const SCRIPTS = [['dev'], ['start'], ['test'], ['db:migrate'], ['user:role', '--', 'ada@example.com', 'admin'], ['new:route', '--', 'orders', 'GET', 'public'], ['new:migration', '--', 'add_orders']];

const VARIANTS = [
  { args: [], floor: '24.7', major: 24 },
  { args: ['--db', 'postgres', '--session', 'cookie'], floor: '24.7', major: 24 },
  { args: ['--node', '22'], floor: '22.18', major: 22 },
] as const;

/** The machine's own PATH, its Node (CLI_NODE) first, and none of the test run's newer ones. */
function oldNodeEnv(): NodeJS.ProcessEnv {
  const newer = new Set([process.env.CSE_NODE24_BIN, process.env.CSE_NODE22_BIN].filter(Boolean));
  const path = [dirname(CLI_NODE), ...(process.env.PATH ?? '').split(delimiter).filter((dir) => !newer.has(dir))].join(delimiter);
  const { NODE_TEST_CONTEXT: _testContext, NODE_OPTIONS: _options, npm_config_prefix: _prefix, ...rest } = process.env;
  return { ...rest, PATH: path, npm_config_update_notifier: 'false' };
}

const oldNode = spawnSync(CLI_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();

describe(`a generated project on Node ${oldNode}`, () => {
  for (const variant of VARIANTS) {
    it(`${['generated', ...variant.args].join(' ')}: every script that runs the project says it needs Node ${variant.floor}, in one line`, (t) => {
      assert.ok(Number(oldNode.split('.')[0]) < variant.major, `the machine's Node (${oldNode}) is older than the project's`);
      const cwd = tempDir(t, 'cse-old-node-');
      const generated = runCli(['api', ...QUICK, ...variant.args], { cwd });
      assert.equal(generated.code, 0, generated.stderr);
      const dir = join(cwd, 'api');
      const env = oldNodeEnv();
      for (const script of SCRIPTS) {
        const result = spawnSync('npm', ['run', '--silent', ...script], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
        const output = `${result.stdout}${result.stderr}`.trim();
        const name = script[0];
        assert.notEqual(result.status, 0, `${name} exits non-zero`);
        assert.equal(
          output,
          `This project needs Node ${variant.floor} or later; this is Node ${oldNode}. Switch with \`nvm use\`, \`fnm use\` (reads .nvmrc too), \`volta install node@${variant.major}\`, or the installer from https://nodejs.org/en/download`,
          `${name} prints that one line and nothing else`,
        );
      }
    });
  }
});
