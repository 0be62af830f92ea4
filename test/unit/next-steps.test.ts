import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectLocation } from '../../src/cli/project-location.ts';
import type { Answers } from '../../src/options/answers.ts';
import { nodeFloorAbove } from '../../src/options/node-target.ts';
import { OPTIONS } from '../../src/options/registry.ts';
import { nextSteps, shellWord } from '../../src/ui/closing.ts';

const defaults = (overrides: Partial<Answers> = {}): Answers => {
  const answers: Partial<Record<keyof Answers, unknown>> = { ...overrides };
  for (const spec of OPTIONS) answers[spec.key] ??= spec.defaultValue({ folder: 'my-api', answers: answers as Partial<Answers>, userAgent: undefined });
  return answers as Answers;
};
const commands = (input: Parameters<typeof nextSteps>[0]) => nextSteps(input).map(([command]) => command);

describe('next steps', () => {
  for (const pm of ['npm', 'pnpm', 'yarn', 'bun'] as const) {
    it(`${pm}: the test script runs through "${pm} run test" (bun test would run Bun's own runner)`, () => {
      const steps = commands({ target: 'my-api', answers: defaults({ pm }), installed: false });
      assert.deepEqual(steps, ['cd my-api', `${pm} install`, `${pm} run dev`, `${pm} run test`]);
    });
  }

  it('PostgreSQL: the step that gives the API its DATABASE_URL comes before run dev', () => {
    const steps = commands({ target: 'my-api', answers: defaults({ db: 'postgres' }), installed: true });
    assert.deepEqual(steps, ['cd my-api', 'cp .env.example .env', 'npm run dev', 'npm run test']);
    assert.match(nextSteps({ target: 'my-api', answers: defaults({ db: 'postgres' }), installed: true })[1]?.[1] ?? '', /DATABASE_URL/);
  });

  it('no cd into ".", no install once installed', () => {
    assert.deepEqual(commands({ target: '.', answers: defaults(), installed: true }), ['npm run dev', 'npm run test']);
  });

  it('a Node older than the project asks for nvm use first, naming both versions and the other ways', () => {
    const steps = nextSteps({ target: 'my-api', answers: defaults({ node: 24 }), installed: false, oldNode: '20.20.2' });
    assert.deepEqual(steps[1], [
      'nvm use',
      'switches to Node 24 as .nvmrc says (this is Node 20.20.2); without nvm: `fnm use` (reads .nvmrc too), `volta install node@24`, or the installer from https://nodejs.org/en/download',
    ]);
  });

  for (const [path, word] of [['my-api', 'my-api'], ['apps/orders', 'apps/orders'], ['Über API!', "'Über API!'"], ["it's", "'it'\\''s'"]] as const) {
    it(`cd ${word}`, () => assert.equal(shellWord(path), word));
  }
});

describe('the running Node against the project target', () => {
  const cases = [
    [24, '20.20.2', '24.7'],
    [24, '24.6.0', '24.7'],
    [22, '20.19.0', '22.18'],
    [22, '22.17.1', '22.18'],
    [22, '22.18.0', undefined],
    [22, '24.11.0', undefined],
    [24, '24.7.0', undefined],
  ] as const;
  for (const [target, running, floor] of cases) {
    it(`Node ${running} for a Node ${target} project: ${floor ? `older than ${floor}` : 'fine'}`, () => assert.equal(nodeFloorAbove(target, running), floor));
  }
});

describe('where a project goes and its default name', () => {
  const cwd = '/work/here';
  const cases = [
    ['my-api', join(cwd, 'my-api'), 'my-api'],
    ['.', cwd, 'here'],
    ['@acme/orders', join(cwd, 'orders'), '@acme/orders'],
    ['apps/@acme/orders', join(cwd, 'apps/orders'), '@acme/orders'],
    ['/tmp/@acme/orders/', '/tmp/orders', '@acme/orders'],
    ['@acme', join(cwd, '@acme'), '@acme'],
    ['Über API!', join(cwd, 'Über API!'), 'Über API!'],
  ] as const;
  for (const [directory, path, name] of cases) {
    it(`${directory} -> ${path} named ${name}`, () => assert.deepEqual(projectLocation(directory, cwd), { path, name }));
  }
});
