/**
 * Everything the CLI prints goes through here. Colours only when the stream is a terminal and NO_COLOR
 * is unset (https://no-color.org), so logs and pipes stay plain.
 */
export interface Output {
  readonly color: boolean;
  info(line: string): void;
  step(line: string): void;
  success(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  bold(text: string): string;
  dim(text: string): string;
  cyan(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

type Stream = NodeJS.WriteStream;

function wantsColor(stream: Stream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

export function createOutput(stdout: Stream, stderr: Stream, env: NodeJS.ProcessEnv): Output {
  const color = wantsColor(stdout, env);
  const errorColor = wantsColor(stderr, env);
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
  const [errorRed, errorYellow] = [paint(errorColor, 31, 39), paint(errorColor, 33, 39)];
  return {
    color,
    info: (line) => stdout.write(`${line}\n`),
    step: (line) => stdout.write(`${cyan('›')} ${line}\n`),
    success: (line) => stdout.write(`${green('✔')} ${line}\n`),
    warn: (line) => stderr.write(`${errorYellow('warning:')} ${line}\n`),
    error: (line) => stderr.write(`${errorRed('error:')} ${line}\n`),
    bold,
    dim,
    cyan,
    red,
    green,
    yellow,
  };
}
