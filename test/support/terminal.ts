import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A real pseudo-terminal, through tmux: start a command, type keys, read the screen. This is how a person
 * meets the prompts, so the interactive tests drive the CLI exactly this way.
 */
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

export class Terminal {
  readonly #session: string;

  private constructor(session: string) {
    this.#session = session;
  }

  /** Runs `argv` in `cwd` with `env`; when it ends, prints `__EXIT=<code>` and waits to be read. */
  static start(argv: readonly string[], cwd: string, env: Readonly<Record<string, string>>): Terminal {
    const session = `cse-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const exports = Object.entries(env).map(([key, value]) => `${key}=${quote(value)}`).join(' ');
    const command = `cd ${quote(cwd)} && env -u CI ${exports} ${argv.map(quote).join(' ')}; echo __EXIT=$?; sleep 120`;
    try {
      tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '60', command);
    } catch {
      // The tmux server exits with its last session: one started just then meets a server on its way
      // out ("server exited unexpectedly"). Once more starts a new one.
      tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '60', command);
    }
    return new Terminal(session);
  }

  screen(): string {
    return tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', this.#session);
  }

  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; the screen shows:\n${screen}`);
      await sleep(100);
    }
  }

  /** Types text (literally) or presses keys such as `Enter`, `Down`, `C-c`, `C-u`. */
  async type(text: string): Promise<void> {
    tmux('send-keys', '-t', this.#session, '-l', text);
    await sleep(50);
  }

  async press(...keys: string[]): Promise<void> {
    for (const key of keys) {
      tmux('send-keys', '-t', this.#session, key);
      await sleep(80);
    }
  }

  /** The question being asked now: inquirer marks it with `?`, and answered ones with a tick. */
  async waitForQuestion(question: RegExp, timeoutMs = 15_000): Promise<string> {
    const isAsking = (screen: string) => {
      const last = screen.split('\n').findLast((line) => /^[?✔] /.test(line));
      return last !== undefined && last.startsWith('? ') && question.test(last);
    };
    return this.waitFor({ test: isAsking } as RegExp, timeoutMs);
  }

  async answer(question: RegExp, text: string): Promise<void> {
    await this.waitForQuestion(question);
    if (text) await this.type(text);
    await this.press('Enter');
  }

  /** At a select question: moves down to the choice matching `choice` (inquirer marks the current one with ❯), then Enter. */
  async choose(choice: RegExp, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.screen().split('\n').findLast((line) => line.startsWith('❯ '));
      if (current !== undefined && choice.test(current.slice(2))) return this.press('Enter');
      if (Date.now() > deadline) throw new Error(`timed out choosing ${choice}; the screen shows:\n${this.screen()}`);
      await this.press('Down');
    }
  }

  close(): void {
    try {
      tmux('kill-session', '-t', this.#session);
    } catch {
      // already gone
    }
  }
}
