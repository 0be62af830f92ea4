import { fstatSync, writeSync } from 'node:fs';

/** What the CLI writes text to: process.stdout, process.stderr, or the stand-in below. */
export interface TextStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** Set on a terminal. */
  readonly columns?: number;
}

/** fd 1 is a pipe, a socket or a file: no terminal to draw on, so nothing needs a stream. */
function plainDestination(): boolean {
  try {
    const info = fstatSync(1);
    return info.isFIFO() || info.isSocket() || info.isFile();
  } catch {
    return false;
  }
}

/**
 * The process's standard output. On a terminal (or anything else unusual) it is process.stdout. Into a
 * pipe or a file, which is how `npm create`, CI and the benches run it, the text is written with
 * writeSync instead: making process.stdout for a pipe loads Node's net and stream modules, about 3 ms
 * of a 60 ms run. Node writes to pipes synchronously on Linux too, so nothing is reordered. The first
 * write that cannot complete now (a non-blocking pipe that is full: EAGAIN) or fails (EPIPE) hands the
 * rest, and every later write, to process.stdout, which queues or reports it as it always did.
 */
export function standardOutput(): TextStream {
  if (!plainDestination()) return process.stdout;
  let stream: NodeJS.WriteStream | undefined;
  return {
    isTTY: false,
    write(text: string) {
      if (stream) return stream.write(text);
      const bytes = Buffer.from(text);
      let written = 0;
      try {
        while (written < bytes.length) written += writeSync(1, bytes, written);
      } catch {
        stream = process.stdout;
        return stream.write(bytes.subarray(written));
      }
      return true;
    },
  };
}
