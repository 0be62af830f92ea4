/**
 * What an error response must never show a client: a stack trace, a file path on the server, or an
 * internal error's name or message (leaks); and, less grave, what names the framework (fingerprints).
 * Each names what it found, so the evidence can quote it.
 */
interface Sign {
  readonly what: string;
  readonly pattern: RegExp;
}

const LEAKS: readonly Sign[] = [
  { what: 'a stack frame', pattern: /\bat (?:async )?[\w$.<>[\] ]*\(?(?:file:\/\/|node:|\/|[A-Z]:\\)[^\s)]*:\d+:\d+\)?/ },
  { what: 'a file path', pattern: /(?:file:\/\/)?(?:\/[\w.@-]+){2,}\.(?:[cm]?[jt]s|json)\b|[A-Z]:\\(?:[\w.@-]+\\)+[\w.@-]+/ },
  { what: 'node_modules', pattern: /node_modules/ },
  { what: 'an internal error name', pattern: /\b(?:SyntaxError|TypeError|ReferenceError|RangeError|PayloadTooLargeError|UnsupportedMediaTypeError)\b/ },
  { what: "JSON.parse's own message", pattern: /\bUnexpected (?:token|end of JSON)|in JSON at position \d/ },
];

const FINGERPRINTS: readonly Sign[] = [
  // Its 404 names the method and path ("Cannot GET /x"), the telling part; any other error page has the title.
  { what: "Express's default error page", pattern: /Cannot (?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|TRACE) \/[^\s<]*|<title>Error<\/title>(?![\s\S]*Cannot [A-Z]+ \/)/ },
  { what: 'a framework name', pattern: /\b(?:Express|express|body-parser|raw-body|finalhandler)\b/ },
];

export interface Leak {
  readonly what: string;
  readonly excerpt: string;
}

function find(signs: readonly Sign[], body: string): Leak[] {
  return signs.flatMap(({ what, pattern }) => {
    const match = pattern.exec(body);
    return match ? [{ what, excerpt: excerpt(match[0]) }] : [];
  });
}

export const findLeaks = (body: string): Leak[] => find(LEAKS, body);
export const findFingerprints = (body: string): Leak[] => find(FINGERPRINTS, body);

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
