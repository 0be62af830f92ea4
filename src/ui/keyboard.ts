import { PassThrough } from 'node:stream';

/**
 * Keys typed ahead keep their place. Inquirer reads the terminal only while a prompt is open, and drops
 * what arrived before it (on purpose: stale keys); someone who knows the questions types ahead, and
 * those keys belong to the next prompt. So, while prompts may come, the terminal is read here in raw
 * mode and the prompts read from this stream instead. Keys are handed over as the prompts take them:
 * after each Enter, the prompt it ends settles and closes before the next key is written, and a key
 * that finds no prompt open waits for the next one.
 */
export interface Keyboard {
  /** What the prompts read. */
  readonly input: NodeJS.ReadableStream;
  /** Stops reading the terminal and gives it back as it was found. */
  close(): void;
}

const CTRL_C = '\u0003';
const endsAnswer = (piece: string) => piece.endsWith('\r') || piece.endsWith('\n');

/** Splits what the terminal sent after each Enter: "a\rb\r" -> ["a\r", "b\r"]. */
const pieces = (text: string) => text.match(/[^\r\n]*(?:\r\n?|\n)|[^\r\n]+/g) ?? [];

export function openKeyboard(stdin: NodeJS.ReadStream): Keyboard {
  const input = new PassThrough();
  const queue: string[] = [];
  let settling = false;
  let waitingForPrompt = false;

  const pump = (): void => {
    while (queue.length > 0 && !settling) {
      if (input.readableFlowing !== true) {
        if (!waitingForPrompt) {
          waitingForPrompt = true;
          input.once('resume', () => {
            waitingForPrompt = false;
            pump();
          });
        }
        return;
      }
      const piece = queue.shift() ?? '';
      input.write(piece);
      if (endsAnswer(piece)) {
        settling = true;
        setImmediate(() => {
          settling = false;
          pump();
        });
      }
    }
  };

  const onData = (data: Buffer) => {
    const text = data.toString('utf8');
    // Ctrl-C with no prompt open (a template being fetched): raw mode turned it into a key, so raise
    // the signal it would have been. At a prompt it is a key the prompt handles as a cancellation.
    if (text.includes(CTRL_C) && input.readableFlowing !== true) {
      queue.length = 0;
      process.kill(process.pid, 'SIGINT');
      return;
    }
    queue.push(...pieces(text));
    pump();
  };

  const wasRaw = stdin.isRaw;
  stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.resume();
  return {
    input,
    close() {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      input.end();
    },
  };
}
