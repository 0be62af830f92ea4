import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { CLI_NODE, QUICK, tempDir } from '../support/cli.ts';

/**
 * The published package, as `npm pack` makes it: only what a run needs, everything bundled, and a bin
 * that starts with nothing installed beside it. `npm create secure-express` then downloads one small
 * package (issue 6: create-vite's footprint, not node-plop's 74 packages).
 */
const TARBALL = process.env.CSE_TARBALL ?? '';
if (!TARBALL) throw new Error('CSE_TARBALL is not set: run the tests with `npm test` (scripts/test.mjs)');

const MAX_UNPACKED_BYTES = 2 * 1024 * 1024;
const ALLOWED_FOLDERS = ['bin', 'dist', 'examples', 'schema', 'templates'];
const ALLOWED_FILES = ['package.json', 'README.md', 'LICENSE', 'LICENSE.md', 'LICENSE.txt'];

/** Paths inside the tarball, without npm's `package/` prefix; folders left out. */
function tarballFiles(): string[] {
  return execFileSync('tar', ['-tzf', TARBALL], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '' && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''));
}

/** The tarball's package folder, unpacked into a temp folder of its own. */
function unpacked(t: Parameters<typeof tempDir>[0]): string {
  const dir = tempDir(t, 'cse-package-');
  execFileSync('tar', ['-xzf', TARBALL, '-C', dir]);
  return join(dir, 'package');
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => statSync(join(dir, path)).isFile());
}

describe('the published package', () => {
  it('contains only bin/, dist/, examples/ (the README links to it), schema/, templates/, package.json, README and licence', () => {
    const files = tarballFiles();
    const stray = files.filter((path) => {
      const [top = ''] = path.split('/');
      return path.includes('/') ? !ALLOWED_FOLDERS.includes(top) : !ALLOWED_FILES.includes(path);
    });
    assert.deepEqual(stray, [], 'files outside the allowed list (extend `files` in package.json only with a reason)');
    for (const folder of ['src/', 'test/', 'scripts/', 'bench/', '.cache/']) {
      assert.ok(!files.some((path) => path.startsWith(folder)), `${folder} is not published`);
    }
    assert.deepEqual(files.filter((path) => path.endsWith('.map')), [], 'no source maps: they would ship src/ inside them');
    assert.deepEqual(files.filter((path) => path.split('/').includes('node_modules')), [], 'no node_modules');
    for (const needed of ['package.json', 'README.md', 'bin/create-secure-express.js', 'dist/main.js']) {
      assert.ok(files.includes(needed), `${needed} is published`);
    }
    assert.ok(files.some((path) => path.startsWith('templates/base/')), 'the base template is published');
  });

  it('declares no runtime dependency: everything the bin runs is bundled into dist/', (t) => {
    const pkg = JSON.parse(readFileSync(join(unpacked(t), 'package.json'), 'utf8'));
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bundledDependencies']) {
      assert.deepEqual(Object.keys(pkg[field] ?? {}), [], `package.json ${field}`);
    }
    assert.equal(pkg.bin['create-secure-express'], 'bin/create-secure-express.js');
  });

  it('is under 2 MB unpacked', (t) => {
    const dir = unpacked(t);
    const bytes = filesBelow(dir).reduce((sum, path) => sum + statSync(join(dir, path)).size, 0);
    assert.ok(bytes < MAX_UNPACKED_BYTES, `${(bytes / 1024 / 1024).toFixed(2)} MiB unpacked`);
  });

  it('loads every file of the bundle, chunks loaded on demand included, with nothing installed beside it', (t) => {
    // Importing each module evaluates its static imports: a package the bundle left out would fail to
    // resolve here, even in a chunk that a plain run (no prompts, no git) never loads.
    const home = tempDir(t, 'cse-isolated-');
    for (let dir = home; ; dir = dirname(dir)) {
      assert.ok(!existsSync(join(dir, 'node_modules')), `${join(dir, 'node_modules')} exists: the test would not be isolated`);
      if (dirname(dir) === dir) break;
    }
    cpSync(unpacked(t), join(home, 'package'), { recursive: true });
    const modules = filesBelow(join(home, 'package')).filter((file) => /^dist[\\/].*\.js$/.test(file));
    assert.ok(modules.length > 1);
    const script = `for (const file of ${JSON.stringify(modules)}) await import('./package/' + file);`;
    execFileSync(CLI_NODE, ['--input-type=module', '-e', script], { cwd: home, env: { PATH: process.env.PATH ?? '', NODE_PATH: '' }, stdio: 'pipe' });
  });

  it('a scaffold loads two modules of the bundle: main.js imports none statically, the renderer only main.js', (t) => {
    // Node's ES module loader costs a scaffold about 0.67 ms of CPU per module: the build folds the chunks
    // main.js imports into it (scripts/build.mjs), and the chunks loaded later import those from main.js.
    const dist = join(unpacked(t), 'dist');
    // Import statements as esbuild writes them (`import{a as b}from"./x.js"`, `import"./x.js"`); the
    // renderer's template texts hold imports too, written with spaces.
    const staticImports = (file: string) => [...readFileSync(join(dist, file), 'utf8').matchAll(/import(?:\{[^}]*\}from)?"\.\/([^"]+)"/g)].map((match) => match[1]);
    assert.deepEqual(staticImports('main.js'), []);
    const renderer = /import\(["']\.\/(render-[^"']+\.js)["']\)/.exec(readFileSync(join(dist, 'main.js'), 'utf8'))?.[1];
    assert.ok(renderer, 'main.js imports the renderer on demand');
    assert.deepEqual([...new Set(staticImports(renderer))], ['main.js']);
  });

  it('starts and generates a project with no dependency installed anywhere above it', (t) => {
    // A folder of its own under the temp dir, checked to have no node_modules on the way up, so
    // nothing can resolve a package the bundle forgot.
    const home = tempDir(t, 'cse-isolated-');
    for (let dir = home; ; dir = dirname(dir)) {
      assert.ok(!existsSync(join(dir, 'node_modules')), `${join(dir, 'node_modules')} exists: the test would not be isolated`);
      if (dirname(dir) === dir) break;
    }
    const packageDir = join(home, 'create-secure-express');
    cpSync(unpacked(t), packageDir, { recursive: true });
    const bin = join(packageDir, 'bin', 'create-secure-express.js');
    const env = { PATH: process.env.PATH ?? '', HOME: home, CI: 'true', NODE_PATH: '' };
    const run = (args: string[]) => execFileSync(CLI_NODE, [bin, ...args], { cwd: home, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    assert.equal(run(['--version']).trim(), pkg.version);
    run(['my-api', ...QUICK]);
    const project = join(home, 'my-api');
    assert.equal(JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')).name, 'my-api');
    assert.ok(existsSync(join(project, 'src', 'app.ts')));
    assert.ok(!existsSync(join(project, 'node_modules')), '--no-install installs nothing');
    assert.ok(!filesBelow(project).some((path) => path.split(sep).includes('.git')), '--no-git makes no repository');
    assert.ok(relative(home, project) === 'my-api');
  });

  it('renders a built-in template edited after the build from its new text, with the same helpers', (t) => {
    // The build precompiles the templates; one whose text no longer matches is compiled at run time.
    const home = tempDir(t, 'cse-edited-');
    const packageDir = join(home, 'create-secure-express');
    cpSync(unpacked(t), packageDir, { recursive: true });
    appendFileSync(join(packageDir, 'templates', 'base', 'README.md.hbs'), 'Edited: {{kebabCase name}} {{json port}}{{#if docker}} docker{{/if}}\n');
    const bin = join(packageDir, 'bin', 'create-secure-express.js');
    execFileSync(CLI_NODE, [bin, 'My-Api', ...QUICK], { cwd: home, env: { ...process.env, CI: 'true' }, stdio: 'pipe' });
    const readme = readFileSync(join(home, 'My-Api', 'README.md'), 'utf8');
    assert.ok(readme.endsWith('Edited: my-api 3000 docker\n'), readme.slice(-200));
    assert.equal(readFileSync(join(home, 'My-Api', '.nvmrc'), 'utf8'), '24\n');
  });
});
