// Keys typed ahead keep their place in `npm run new:route` and `new:migration` (plopfile.js).
//
// Someone who knows the questions types the answers before they appear, and Inquirer drops whatever
// arrives while no question is open. So, while questions may come, the terminal is read here in raw
// mode and the questions read from this stream instead, one answer at a time: after each Enter the
// question it ends settles before the next keys are handed over.
import { PassThrough } from 'node:stream';

export interface Keyboard {
  /** What the questions read. */
  readonly input: NodeJS.ReadableStream;
  /** Stops reading the terminal and gives it back as it was found. */
  close(): void;
}

const endsAnswer = (piece: string) => piece.endsWith('\r') || piece.endsWith('\n');

/** Splits what the terminal sent after each Enter: "a\rb\r" -> ["a\r", "b\r"]. */
const pieces = (text: string) => text.match(/[^\r\n]*(?:\r\n?|\n)|[^\r\n]+/g) ?? [];

export function openKeyboard(stdin: NodeJS.ReadStream): Keyboard {
  const input = new PassThrough();
  const queue: string[] = [];
  let settling = false;

  const pump = (): void => {
    while (queue.length > 0 && !settling) {
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
    queue.push(...pieces(data.toString('utf8')));
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
