import { CHECK_FLAGS } from './args.ts';
import { wrap } from '../ui/wrap.ts';

const LINE_WIDTH = 100;


/** `check --help`, built from the flag table so that it cannot fall behind it. */
export function checkHelpText(version: string): string {
  const usage = (flag: (typeof CHECK_FLAGS)[number]) =>
    `${flag.short ? `-${flag.short}, ` : ''}--${flag.flag}${flag.placeholder ? ` ${flag.placeholder}` : ''}`;
  const width = Math.max(...CHECK_FLAGS.map((flag) => usage(flag).length)) + 4;
  const rows = CHECK_FLAGS.map((flag) =>
    wrap(flag.help, LINE_WIDTH - width - 2)
      .map((line, index) => `  ${(index === 0 ? usage(flag) : '').padEnd(width)}${line}`)
      .join('\n'),
  );
  return [
    `create-secure-express ${version}: check`,
    'Probe a running Express API for the pitfalls a generated project avoids: security headers (on errors,',
    'preflights and 429s too), CORS with hostile origins, error responses that leak internals, form and',
    'text/plain bodies another site can send, secured routes that answer anonymous callers (--openapi),',
    'a rate limit that forged headers escape, cookie attributes, TRACE, and (with --slow) slow headers.',
    'One finding per cause, each high, medium or low. Bounded: a hard request cap, one request at a time,',
    'each with a deadline, only to the origin of the URLs, never following a redirect.',
    '',
    'Usage: create-secure-express check <url> [<url>...] [options]',
    '       npm run check -- <url> [options]          (in a generated project)',
    '',
    '  <url>  addresses on the API that answer a GET with 2xx (or 401/403), all on one origin, such as',
    '         http://localhost:3000/healthz; CORS and methods are probed on each',
    '',
    'Options:',
    ...rows,
    '',
    'Exit codes: 0 nothing failed (warnings allowed), 1 a check failed or the run could not judge the API',
    '(unreachable, or a URL that answers neither 2xx nor 401/403: the --json and --sarif reports say why), 2 bad usage.',
    '',
    'Example:',
    '  create-secure-express check https://api.example.com/healthz --openapi openapi.json \\',
    '    --origin https://app.example.com --limit-path /api/v1/auth/login --limit-method POST \\',
    '    --limit-body \'{"email":"nobody@example.com","password":"not-the-password"}\' --sarif check.sarif',
    '',
  ].join('\n');
}
