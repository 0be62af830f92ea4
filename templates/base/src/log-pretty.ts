import type { DestinationStream } from 'pino';

/**
 * Development logs for a person at a terminal: one line per request (time, method, URL, status, time
 * taken, client, request id), coloured by status, and other lines as their message and fields, with
 * an error's stack below. It reads the JSON lines the logger writes, after redaction, so what it shows
 * is what production would have logged.
 *
 * A few lines instead of pino-pretty, which would add a dozen packages (and their updates) to every
 * install for a development convenience. Used only in development with a terminal (see log.ts).
 */

interface Entry {
  readonly level?: number;
  readonly time?: number;
  readonly msg?: string;
  readonly req?: { id?: string; method?: string; url?: string; remoteAddress?: string };
  readonly res?: { statusCode?: number };
  readonly responseTime?: number;
  readonly err?: { stack?: string; message?: string };
  readonly [field: string]: unknown;
}

const LEVELS: Readonly<Record<number, [label: string, color: number]>> = {
  10: ['TRACE', 90],
  20: ['DEBUG', 90],
  30: ['INFO ', 32],
  40: ['WARN ', 33],
  50: ['ERROR', 31],
  60: ['FATAL', 41],
};

/** Green for success, cyan for redirects, yellow for the client's errors, red for ours. */
const statusColor = (status: number) => (status >= 500 ? 31 : status >= 400 ? 33 : status >= 300 ? 36 : 32);

/** Fields every line has or that the layout already shows. */
const SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'req', 'res', 'responseTime', 'err']);

export function formatEntry(entry: Entry, colors: boolean): string {
  const paint = (code: number, text: string) => (colors ? `\u001b[${code}m${text}\u001b[0m` : text);
  const time = new Date(entry.time ?? Date.now()).toTimeString().slice(0, 8);
  const [label, levelColor] = LEVELS[entry.level ?? 30] ?? ['LOG  ', 0];
  const parts = [paint(90, time), paint(levelColor, label)];

  if (entry.req !== undefined && entry.res !== undefined) {
    const status = entry.res.statusCode ?? 0;
    parts.push(
      `${entry.req.method ?? '?'} ${entry.req.url ?? '?'}`,
      paint(statusColor(status), String(status)),
      `${entry.responseTime === undefined ? '?' : entry.responseTime.toFixed(1)} ms`,
      paint(90, `${entry.req.remoteAddress ?? '?'} ${entry.req.id ?? ''}`),
    );
    if (entry.msg !== 'request completed' && entry.msg !== undefined) parts.push(paint(levelColor, entry.msg));
  } else {
    parts.push(entry.msg ?? '');
    for (const [field, value] of Object.entries(entry)) {
      if (!SHOWN.has(field)) parts.push(paint(90, `${field}=${typeof value === 'string' ? value : JSON.stringify(value)}`));
    }
  }

  const stack = entry.err?.stack ?? entry.err?.message;
  return `${parts.join(' ')}\n${stack === undefined ? '' : `${paint(31, stack.replace(/^/gm, '    '))}\n`}`;
}

/** A pino destination that writes each JSON line as text to a terminal, in colour if it has them. */
export function prettyDestination(out: { write(text: string): unknown; hasColors(): boolean }): DestinationStream {
  const colors = out.hasColors();
  return {
    write(line: string) {
      out.write(formatEntry(JSON.parse(line) as Entry, colors));
    },
  };
}
