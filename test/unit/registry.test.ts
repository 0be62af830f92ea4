import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONTROL_FLAGS } from '../../src/cli/control-flags.ts';
import { helpText } from '../../src/cli/help.ts';
import { parseArgv } from '../../src/cli/parse-argv.ts';
import type { Answers } from '../../src/options/answers.ts';
import { answersFileContent } from '../../src/options/answers-file.ts';
import { OPTIONS, cautionsFor } from '../../src/options/registry.ts';
import { isUpFront } from '../../src/options/resolve.ts';
import { RATE_LIMIT_TIERS } from '../../src/options/tiers.ts';

const DESIGN_FLAGS = [
  'name', 'origins', 'dev-origins', 'session', 'credentials', 'rate-limit', 'global-limit', 'auth-limit', 'db', 'rate-limit-store', 'node', 'port',
  'trust-proxy', 'body-limit', 'docker', 'template', 'preset', 'pm', 'install', 'git', 'force', 'dry-run', 'yes', 'help', 'version',
];

/** Asked before the summary: the answers with no default that is safe for everyone (issue 13). */
const UP_FRONT = ['origins', 'db', 'trustProxy'];

const defaults = (): Answers => {
  const answers: Partial<Record<keyof Answers, unknown>> = {};
  for (const spec of OPTIONS) answers[spec.key] = spec.defaultValue({ folder: 'my-api', answers: answers as Partial<Answers>, userAgent: undefined });
  return answers as Answers;
};

describe('option registry', () => {
  const help = helpText('0.0.0');
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const allFlags = [...OPTIONS.map((spec) => spec.flag), ...CONTROL_FLAGS.map((control) => control.flag)];

  it('has every flag of the design, plus --debug and the team-template flags, and no other', () => assert.deepEqual([...allFlags].sort(), [...DESIGN_FLAGS, 'debug', 'var', 'trust'].sort()));

  for (const spec of OPTIONS) {
    it(`--${spec.flag}: help shows it with its default, the parser accepts it, the default validates`, () => {
      const usage = spec.kind === 'boolean' ? `--${spec.flag} | --no-${spec.flag}` : `--${spec.flag} ${spec.placeholder}`;
      const line = help.split('\n').find((row) => row.startsWith(`  ${usage} `));
      assert.ok(line, `help has a row for ${usage}`);
      const row = help.slice(help.indexOf(line), help.indexOf('\n  --', help.indexOf(line) + 1));
      assert.match(row.replace(/\s+/g, ' '), /\(default: [^)]+\)/);
      const value = defaults()[spec.key];
      assert.deepEqual(spec.parse(Array.isArray(value) ? value.join(',') : value), value);
      const raw = spec.kind === 'boolean' ? [`--no-${spec.flag}`] : [`--${spec.flag}`, 'x'];
      assert.equal(parseArgv(raw).given[spec.key], spec.kind === 'boolean' ? false : 'x');
    });
    it(`--${spec.flag} is documented in the README`, () => assert.match(readme, new RegExp(`--${spec.flag}\\b`)));
  }
  for (const control of CONTROL_FLAGS) {
    it(`--${control.flag} is in help and the README`, () => {
      assert.match(help, new RegExp(`--${control.flag}\\b`));
      assert.match(readme, new RegExp(`--${control.flag}\\b`));
    });
  }

  it('every option can be asked (from the summary\'s "Change something"), and only a few are asked up front', () => {
    assert.deepEqual(OPTIONS.filter((spec) => !spec.prompt).map((spec) => spec.key), []);
    assert.deepEqual(OPTIONS.filter((spec) => spec.prompt?.upFront === true).map((spec) => spec.key), UP_FRONT);
  });

  for (const [folder, asked] of [['my-api', false], ['@acme/orders', false], ['Über API!', true], ['My API', true]] as const) {
    it(`the package name is asked up front ${asked ? 'when' : 'unless'} the folder is ${JSON.stringify(folder)}`, () => {
      const spec = OPTIONS.find((option) => option.key === 'name');
      assert.equal(isUpFront(spec!, { folder, answers: {}, userAgent: undefined }), asked);
    });
  }

  it('tier choices show their numbers', () => {
    const prompt = OPTIONS.find((spec) => spec.key === 'rateLimit')?.prompt;
    for (const [tier, { global, auth }] of Object.entries(RATE_LIMIT_TIERS)) {
      assert.ok(prompt?.choices?.includes(tier));
      assert.equal(prompt?.describeChoice?.(tier), `global ${global}, auth ${auth}`);
    }
  });

  it('help shows no "(none)" default and no "us"', () => {
    assert.doesNotMatch(help, /\(none\)|launched us/);
    assert.match(help.replace(/\s+/g, ' '), /--origins <list> .*\(default: none\)/);
  });

  it('a team template that removes the Dockerfile turns --docker off', () => {
    assert.deepEqual(OPTIONS.filter((spec) => spec.addsFile).map((spec) => [spec.key, spec.addsFile]), [['docker', 'Dockerfile']]);
  });

  const CAUTIONS: readonly { name: string; answers: Partial<Answers>; node: string; says: RegExp | undefined }[] = [
    { name: 'defaults on Node 24', answers: {}, node: '24.11.0', says: undefined },
    { name: 'an auth limit looser than the global one', answers: { globalLimit: '100/15m', authLimit: '200/15m' }, node: '24.11.0', says: /auth-limit 200\/15m is no tighter than global-limit 100\/15m/ },
    { name: 'an auth limit as loose over a shorter window', answers: { globalLimit: '100/15m', authLimit: '10/1m' }, node: '24.11.0', says: /no tighter/ },
    { name: 'a tight auth limit', answers: { globalLimit: '100/15m', authLimit: '20/15m' }, node: '24.11.0', says: undefined },
    { name: 'Node 20 making a Node 24 project', answers: { node: 24 }, node: '20.20.2', says: /targets Node 24 .* this is Node 20\.20\.2: switch in it with `nvm use`, `fnm use` .*, `volta install node@24`, or the installer/ },
    { name: 'Node 22.12 making a Node 22 project', answers: { node: 22 }, node: '22.12.0', says: /need 22\.18 or later/ },
  ];
  for (const { name, answers, node, says } of CAUTIONS) {
    it(`cautions: ${name}`, () => {
      const found = cautionsFor({ ...defaults(), ...answers }, { node });
      if (says) assert.ok(found.some((caution) => says.test(caution)), found.join('\n'));
      else assert.deepEqual(found, []);
    });
  }

  it('the answers file holds every option, in registry order', () => {
    const file = JSON.parse(answersFileContent({ generator: { name: 'x', version: '1' }, template: { source: 'built-in' } }, defaults()));
    assert.deepEqual(Object.keys(file.answers), OPTIONS.map((spec) => spec.key));
  });

  for (const [tier, limits] of Object.entries(RATE_LIMIT_TIERS)) {
    it(`tier ${tier} presets the limits ${limits.global} and ${limits.auth}`, () => {
      const context = { folder: 'x', answers: { rateLimit: tier as Answers['rateLimit'] }, userAgent: undefined };
      assert.equal(OPTIONS.find((spec) => spec.key === 'globalLimit')?.defaultValue(context), limits.global);
      assert.equal(OPTIONS.find((spec) => spec.key === 'authLimit')?.defaultValue(context), limits.auth);
    });
  }

  for (const [agent, pm] of [['pnpm/9.1.0 npm/? node/v24.0.0', 'pnpm'], ['yarn/4.0.0', 'yarn'], ['bun/1.2.0', 'bun'], ['npm/11.0.0', 'npm'], ['', 'npm']]) {
    it(`detects ${pm} from user agent ${JSON.stringify(agent)}`, () => {
      assert.equal(OPTIONS.find((spec) => spec.key === 'pm')?.defaultValue({ folder: 'x', answers: {}, userAgent: agent }), pm);
    });
  }
});
