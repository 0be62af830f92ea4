import { CliError } from '../errors.ts';
import { PACKAGE } from '../package-info.ts';
import { createOutput } from '../ui/output.ts';
import { parseCheckArgs } from './args.ts';
import { checkHelpText } from './help.ts';

export interface CheckIo {
  /** The arguments after `check`. */
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/**
 * `create-secure-express check <url>`: its own command, sharing only the bin with the scaffolder. The
 * probes and the HTTP client load after the arguments are known to be good, so `check --help` and a
 * usage error cost next to nothing. Exit codes: 0 nothing failed, 1 a check failed (or the API could
 * not be reached), 2 bad usage.
 */
export async function runCheck(io: CheckIo): Promise<number> {
  const out = createOutput(io.stdout, io.stderr, io.env);
  try {
    const args = parseCheckArgs(io.argv, io.cwd);
    if (args.help) return out.info(checkHelpText(PACKAGE.version)), 0;
    const { scanApi } = await import('./scan.ts');
    return await scanApi(args, PACKAGE.version, io, out);
  } catch (error) {
    if (error instanceof CliError) return out.error(error.message), error.exitCode;
    out.error(`unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
