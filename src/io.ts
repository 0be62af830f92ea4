import type { TextStream } from './ui/standard-output.ts';

/**
 * What a command reads and writes: the process's arguments, environment, folder and streams, passed in
 * so that the entry point (main.ts) and each command (update, check) can be run by tests and by the bin alike.
 */
export interface Io {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: TextStream;
  readonly stderr: TextStream;
}
