import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';

/**
 * A second, newer release of this generator, built for real: the package's sources copied into a temp
 * folder, its templates and dependency table changed, its version bumped, then `npm pack` (which runs
 * the build, as a publish does) and an install from that tarball. Each change is made to whatever the
 * templates hold today, and fails loudly if what it edits has gone.
 */
export interface ChangedGenerator {
  readonly version: string;
  readonly tarball: string;
  readonly bin: string;
  /** What the new release changes, for the tests to look for. */
  readonly header: { readonly file: string; readonly before: string; readonly after: string };
  readonly added: string;
  readonly removed: string;
  readonly dependency: { readonly name: string; readonly before: string; readonly after: string };
}

const ROOT = new URL('../../', import.meta.url).pathname;
const SOURCES = ['package.json', 'package-lock.json', 'bin', 'scripts', 'src', 'templates', 'tsconfig.json', 'README.md', 'LICENSE'];

const run = (cmd: string, args: readonly string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } }).trim();

function edit(file: string, change: (text: string) => string, what: string): void {
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`cannot build the changed generator: ${what} not found in ${file}`);
  writeFileSync(file, after);
}

export const bumpPatch = (version: string) => version.replace(/^(\d+)\.(\d+)\.(\d+).*$/, (_, major, minor, patch) => `${major}.${minor}.${Number(patch) + 1}`);

export function buildChangedGenerator(dir: string): ChangedGenerator {
  const source = join(dir, 'source');
  for (const entry of SOURCES) cpSync(join(ROOT, entry), join(source, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');

  const pkg = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  const version = bumpPatch(pkg.version);
  writeFileSync(join(source, 'package.json'), `${JSON.stringify({ ...pkg, version }, null, 2)}\n`);

  // A header value changed.
  const header = { file: 'src/security/headers.ts', before: "'no-referrer'", after: "'same-origin'" };
  edit(join(source, 'templates/base', header.file), (text) => text.replace(header.before, header.after), `the header value ${header.before}`);

  // A file added, in a folder of its own; a small file removed.
  // (Its folder must be one no project has yet: the update test puts a file of the user's in its place.)
  const added = 'security/contact.md';
  if (existsSync(join(source, 'templates/base', added))) throw new Error(`cannot build the changed generator: templates/base/${added} exists already`);
  mkdirSync(join(source, 'templates/base', dirname(added)), { recursive: true });
  writeFileSync(join(source, 'templates/base', added), '# Reporting a vulnerability\n\nWrite to security@example.com; we answer within two working days.\n');
  const removed = '.nvmrc';
  rmSync(join(source, 'templates/base/_nvmrc.hbs'));

  // A dependency bumped (its minor version), in the one table of versions.
  const versions = join(source, 'src/project/versions.ts');
  const match = /^\s+([a-z][\w-]*): '\^(\d+)\.(\d+)\.(\d+)',$/m.exec(readFileSync(versions, 'utf8'));
  if (!match) throw new Error(`cannot build the changed generator: no caret range found in ${versions}`);
  const [line, name, major, minor] = match as unknown as [string, string, string, string];
  const dependency = { name, before: `^${major}.${minor}.${match[4]}`, after: `^${major}.${Number(minor) + 1}.0` };
  edit(versions, (text) => text.replace(line, line.replace(dependency.before, dependency.after)), `the range of ${name}`);

  const tarball = join(dir, run('npm', ['pack', '--silent', '--pack-destination', dir], source).split('\n').pop() ?? '');
  const prefix = join(dir, 'installed');
  run('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', tarball], dir);
  const bin = join(prefix, 'node_modules', 'create-secure-express', 'bin', 'create-secure-express.js');
  return { version, tarball, bin, header, added, removed, dependency };
}
