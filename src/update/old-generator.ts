import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execaSync } from 'execa';
import { CancelledError, GenerationError, UsageError } from '../errors.ts';
import type { ProjectRecord } from './record.ts';

/**
 * The base of an update made by another generator version: that exact version rebuilds the project
 * from the recorded answers, as its own `--preset .secure-express.json --yes --no-install --no-git`
 * run, so the base is what that version really wrote and no second renderer has to imitate it.
 *
 * The version comes from `--base-generator` (an `npm pack` tarball or an unpacked package folder, for
 * teams without registry access), else from npm (its cache first, then the registry the user's npm is
 * configured for). Both children run synchronously: a Ctrl-C reaches them through the terminal, and
 * this process handles its own signal only once they have exited, so no child is still writing into a
 * folder while the clean-up removes it.
 */
export interface OldGeneratorInput {
  readonly record: ProjectRecord;
  /** `--base-generator`, resolved against the working folder. */
  readonly baseGenerator: string | undefined;
  /** A private temporary folder for the package and the child's own temporary files. */
  readonly workDir: string;
  /** The template to pass with --trust (`<source>#<commit>`), or undefined to trust none. */
  readonly trustedTemplate: string | undefined;
}

const NPM_TIMEOUT_MS = 300_000;
const GENERATOR_TIMEOUT_MS = 120_000;

const lastLine = (text: string) => text.trim().split('\n').filter(Boolean).pop() ?? '';

/** npm's error lines, without its codes, stack and log-file pointer. */
function npmReason(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.replace(/^npm (?:error|ERR!) ?/, '').trim());
  return lines.find((line) => line && !/^(code|syscall|errno) |^\s*at |^A complete log|^[{}]/.test(line)) ?? 'no reason given';
}

function npmInstall(spec: string, prefix: string, failure: (reason: string) => string): void {
  const args = ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', spec];
  const result = execaSync('npm', args, { cwd: prefix, reject: false, stdin: 'ignore', timeout: NPM_TIMEOUT_MS, env: { npm_config_update_notifier: 'false' } });
  if (!result.failed) return;
  if (result.signal === 'SIGINT' || result.exitCode === 130) throw new CancelledError('cancelled; nothing was changed');
  throw new GenerationError(failure(result.code === 'ENOENT' ? 'npm was not found' : result.timedOut ? 'npm timed out' : npmReason(String(result.stderr))));
}

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly bin?: string | Readonly<Record<string, string>>;
}

function readPackage(dir: string, shown: string): PackageJson {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    throw new UsageError(`--base-generator ${shown}: not a package folder or tarball (no readable package.json)`);
  }
}

/** The package folder of the recorded version: given, unpacked from a given tarball, or fetched. */
function packageFolder(input: OldGeneratorInput): string {
  const given = input.baseGenerator;
  const info = given === undefined ? undefined : statSync(given, { throwIfNoEntry: false });
  if (given !== undefined && !info) throw new UsageError(`--base-generator ${given}: no such file or folder`);
  if (given !== undefined && info?.isDirectory()) return given;
  const { name, version } = input.record.generator;
  const prefix = join(input.workDir, 'generator');
  mkdirSync(prefix, { recursive: true });
  if (given !== undefined) {
    npmInstall(resolve(given), prefix, (reason) => `--base-generator ${given}: npm could not unpack it (${reason})`);
  } else {
    const spec = `${name}@${version}`;
    npmInstall(spec, prefix, (reason) => `could not fetch ${spec} with npm (${reason}): pass --base-generator <tgz|dir> with that version (made by \`npm pack ${spec}\` where the registry is reachable)`);
  }
  return join(prefix, 'node_modules', ...name.split('/'));
}

function binOf(pkg: PackageJson, dir: string, shown: string): string {
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.[pkg.name?.replace(/^@[^/]+\//, '') ?? ''] ?? Object.values(pkg.bin ?? {})[0];
  if (!bin) throw new UsageError(`--base-generator ${shown}: the package has no bin to run`);
  return join(dir, bin);
}

export function renderWithGenerator(input: OldGeneratorInput, dest: string): void {
  const { name, version } = input.record.generator;
  const dir = packageFolder(input);
  const shown = input.baseGenerator ?? `${name}@${version}`;
  const pkg = readPackage(dir, shown);
  if (pkg.name !== name || pkg.version !== version) {
    throw new UsageError(`--base-generator ${shown} is ${pkg.name ?? '(unnamed)'} ${pkg.version ?? ''}, but the project was made by ${name} ${version}: give that version`);
  }
  const args = [binOf(pkg, dir, shown), dest, '--preset', input.record.file, '--yes', '--no-install', '--no-git', ...(input.trustedTemplate ? ['--template', input.trustedTemplate, '--trust'] : [])];
  const result = execaSync(process.execPath, args, {
    cwd: input.workDir,
    reject: false,
    stdin: 'ignore',
    timeout: GENERATOR_TIMEOUT_MS,
    // Its temporary folders go in ours, so that nothing of it can outlive this run.
    env: { CI: '1', NO_COLOR: '1', TMPDIR: input.workDir, TMP: input.workDir, TEMP: input.workDir, npm_config_user_agent: '' },
  });
  if (result.signal === 'SIGINT' || result.exitCode === 130) throw new CancelledError('cancelled; nothing was changed');
  if (result.failed) {
    const reason = lastLine(String(result.stderr)).replace(/^error: /, '') || result.shortMessage;
    throw new GenerationError(`${name} ${version}, which made the project, could not rebuild it from ${input.record.file}: ${reason}`);
  }
}
