import type { Io } from '../io.ts';
import { PACKAGE } from '../package-info.ts';
import type { Output } from '../ui/output.ts';
import { parseCheckArgs } from './args.ts';
import { checkHelpText } from './help.ts';

/**
 * `create-secure-express check <url>`: its own command, sharing only the bin and the error mapping of
 * `main` with the scaffolder. The probes and the HTTP client load after the arguments are known to be
 * good, so `check --help` and a usage error cost next to nothing. Exit codes: 0 nothing failed, 1 a
 * check failed (or the API could not be reached), 2 bad usage (a UsageError, mapped in `main`).
 */
export async function runCheck(io: Io, out: Output): Promise<number> {
  const args = parseCheckArgs(io.argv.slice(1), io.cwd);
  if (args.help) return out.info(checkHelpText(PACKAGE.version)), 0;
  const { scanApi } = await import('./scan.ts');
  return scanApi(args, PACKAGE.version, io, out);
}
