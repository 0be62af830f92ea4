import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';

/**
 * Where a `--template` value points: a local folder, or a git repository at an optional #ref, with any
 * credentials kept apart from what is shown and recorded. Pure: nothing is fetched here.
 */
export interface TemplateLocation {
  readonly kind: 'local' | 'git';
  /** What `.secure-express.json` records and messages show: an absolute path or a URL, without the ref or credentials. */
  readonly source: string;
  readonly ref?: string;
  /** What git fetches from: the URL as given, with any credentials in it. Never shown, never recorded. */
  readonly url?: string;
  /** The --template value as given, without credentials: how messages name it. */
  readonly shown: string;
}

const GIT_URL = /^(?:(?:https?|ssh|git|file):\/\/|\w[\w.-]*@[\w.-]+:)/;

/**
 * A URL without the secrets it may carry: an https token (`https://x-access-token:TOKEN@host/...`, or
 * the token alone as the user name) or any password. Git is given the URL as typed; what is recorded in
 * `.secure-express.json` (committed with the project) and shown in messages and logs is this.
 */
export function withoutCredentials(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url; // scp-like `git@host:path`, which has no place for a password
  }
  const http = parsed.protocol === 'http:' || parsed.protocol === 'https:';
  if (!parsed.password && !(http && parsed.username)) return url;
  parsed.password = '';
  if (http) parsed.username = '';
  return parsed.href;
}

export function parseTemplateSpec(spec: string, cwd: string): TemplateLocation {
  const hash = spec.lastIndexOf('#');
  const [base, ref] = hash > 0 ? [spec.slice(0, hash), spec.slice(hash + 1)] : [spec, undefined];
  // A ref is the last argument of `git fetch`: one starting with "-" would be read as an option.
  if (ref !== undefined && !/^\w[\w./-]*$/.test(ref)) throw new UsageError(`--template: ${JSON.stringify(ref)} is not a branch, tag or commit`);
  const shorthand = /^github:([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(base);
  if (shorthand) return { kind: 'git', source: `https://github.com/${shorthand[1]}.git`, shown: spec, ...(ref ? { ref } : {}) };
  if (GIT_URL.test(base)) {
    const source = withoutCredentials(base);
    return { kind: 'git', source, url: base, shown: `${source}${ref ? `#${ref}` : ''}`, ...(ref ? { ref } : {}) };
  }
  if (ref !== undefined) throw new UsageError(`--template: a #ref needs a git URL; ${base} is a local folder`);
  return { kind: 'local', source: resolve(cwd, spec), shown: spec };
}
