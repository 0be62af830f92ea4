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
  { what: 'an internal error name', pattern: /\b(?:TypeError|ReferenceError|RangeError)\b/ },
  // A handler's crash, passed on as the message: it tells which field the code reads, and how.
  { what: "a runtime error's message", pattern: /Cannot read propert(?:y|ies) of (?:undefined|null)|Cannot set propert(?:y|ies) of (?:undefined|null)|\b[\w$.]+ is not a function\b/ },
  // The database's own words: table and column names, the query's shape, the driver in use.
  {
    what: "the database's error",
    pattern: /\bSQLITE_[A-Z]+\b|\bER_[A-Z_]{4,}\b|syntax error at or near|(?:column|relation) \\?"[^"\\]+\\?" (?:of relation \\?"[^"\\]+\\?" )?does not exist|violates (?:foreign key|unique|not-null|check) constraint|\bSequelize\w*Error\b|\bPrismaClient\w*Error\b|\bMongo(?:Server)?Error\b|\bE11000\b/,
  },
  // Where the services are, and sometimes with what password.
  { what: "a service's address", pattern: /\bECONNREFUSED\b|\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?):\/\/[^\s"'<]+/ },
];

/**
 * What the body parser says about a client's bad body: its error's name and JSON.parse's message. In a
 * 4xx it is the parser's answer to the client's own input passed on (http-errors marks it `expose`
 * for that): it names the runtime, nothing of the app's. In a 5xx it is a handler that passes every
 * error's message on, a crash's included: a leak.
 */
const JSON_PARSE_MESSAGE: Sign = { what: "JSON.parse's own message", pattern: /\bUnexpected (?:token|end of JSON)|\b(?:in|after) JSON at position \d/ };
const PARSER_SIGNS: readonly Sign[] = [{ what: "the body parser's error name", pattern: /\b(?:SyntaxError|PayloadTooLargeError|UnsupportedMediaTypeError)\b/ }, JSON_PARSE_MESSAGE];

/** Whether a body passes on JSON.parse's failure: the parser read the whole body before it failed. */
export const showsJsonParseFailure = (body: string): boolean => JSON_PARSE_MESSAGE.pattern.test(body);

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

export const findLeaks = (body: string, status: number): Leak[] => find(status >= 500 ? [...LEAKS, ...PARSER_SIGNS] : LEAKS, body);
export const findFingerprints = (body: string, status: number): Leak[] => find(status >= 500 ? FINGERPRINTS : [...FINGERPRINTS, ...PARSER_SIGNS], body);

/** Whether a fingerprint is the body parser's message passed on (its own fix), not a default page. */
export const isParserSign = (leak: Leak): boolean => PARSER_SIGNS.some(({ what }) => what === leak.what);

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
