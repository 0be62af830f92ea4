import type { TextStream } from './standard-output.ts';

/**
 * Everything the CLI prints goes through here. Colours only when the stream is a terminal and NO_COLOR
 * is unset (https://no-color.org), so logs and pipes stay plain; a spinner only on a terminal.
 */
export interface Output {
  readonly color: boolean;
  info(line: string): void;
  step(line: string): void;
  success(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  /**
   * Shows that `text` is under way, with the seconds elapsed, until the returned function is called.
   * On a terminal it redraws one line (and any other output clears it first); elsewhere it is a step.
   */
  spin(text: string): () => void;
  bold(text: string): string;
  dim(text: string): string;
  cyan(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

type Stream = TextStream;

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\u001B[K';

function wantsColor(stream: Stream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

/**
 * `stderr` is asked for on the first warning or error: making process.stderr costs a millisecond or two
 * (a stream, and Node's stream modules for a pipe), and a run that succeeds quietly never writes to it.
 */
export function createOutput(stdout: Stream, stderr: () => Stream, env: NodeJS.ProcessEnv): Output {
  const color = wantsColor(stdout, env);
  const paint = (on: boolean, open: number, close: number) => (text: string) =>
    on ? `\u001B[${open}m${text}\u001B[${close}m` : text;
  const [bold, dim, red, green, yellow, cyan] = [
    paint(color, 1, 22),
    paint(color, 2, 22),
    paint(color, 31, 39),
    paint(color, 32, 39),
    paint(color, 33, 39),
    paint(color, 36, 39),
  ];

  // The spinner's line, if one is drawn: cleared before anything else is written, redrawn on the next tick.
  let spinning = false;
  const write = (stream: Stream, text: string) => {
    if (spinning) stdout.write(CLEAR_LINE);
    stream.write(text);
  };

  let errors: { readonly stream: Stream; readonly red: (text: string) => string; readonly yellow: (text: string) => string } | undefined;
  const errorOutput = () => {
    if (!errors) {
      const stream = stderr();
      const on = wantsColor(stream, env);
      errors = { stream, red: paint(on, 31, 39), yellow: paint(on, 33, 39) };
    }
    return errors;
  };
  return {
    color,
    info: (line) => write(stdout, `${line}\n`),
    step: (line) => write(stdout, `${cyan('›')} ${line}\n`),
    success: (line) => write(stdout, `${green('✔')} ${line}\n`),
    warn: (line) => {
      const { stream, yellow } = errorOutput();
      write(stream, `${yellow('warning:')} ${line}\n`);
    },
    error: (line) => {
      const { stream, red } = errorOutput();
      write(stream, `${red('error:')} ${line}\n`);
    },
    spin(text) {
      if (stdout.isTTY !== true) {
        write(stdout, `${cyan('›')} ${text}\n`);
        return () => {};
      }
      const started = Date.now();
      let frame = 0;
      const draw = () => {
        spinning = true;
        const seconds = Math.floor((Date.now() - started) / 1000);
        stdout.write(`${CLEAR_LINE}${cyan(FRAMES[frame++ % FRAMES.length] ?? '')} ${text} ${dim(`${seconds}s`)}`);
      };
      draw();
      const timer = setInterval(draw, 100);
      timer.unref();
      return () => {
        clearInterval(timer);
        if (spinning) stdout.write(CLEAR_LINE);
        spinning = false;
      };
    },
    bold,
    dim,
    cyan,
    red,
    green,
    yellow,
  };
}
