import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { describe, it } from 'node:test';

/**
 * src/ui/standard-output.ts writes the CLI's output with writeSync when fd 1 is a pipe or a file. Each
 * case runs in a child process of its own, whose fd 1 is what the case needs.
 */
const MODULE = new URL('../../src/ui/standard-output.ts', import.meta.url).href;

interface Finished {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

function child(body: string, { stdout = 'pipe', holdReadingMs = 0 }: { stdout?: 'pipe' | number; holdReadingMs?: number } = {}): Promise<Finished> {
  // The child reports on fd 2 with writeSync: process.stderr would load the stream modules itself.
  const source = `import { writeSync } from 'node:fs';\nimport { standardOutput } from ${JSON.stringify(MODULE)};\n${body}`;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', source], { stdio: ['ignore', stdout, 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  proc.stderr?.on('data', (data: Buffer) => (stderr += data));
  if (proc.stdout) {
    proc.stdout.on('data', (data: Buffer) => chunks.push(data));
    if (holdReadingMs > 0) {
      proc.stdout.pause();
      setTimeout(() => proc.stdout?.resume(), holdReadingMs);
    }
  }
  return new Promise((resolve) => proc.on('close', (code) => resolve({ stdout: Buffer.concat(chunks).toString('utf8'), stderr, code })));
}

describe('standard output', () => {
  it('writes into a pipe in order, multi-byte text intact, without making process.stdout', async () => {
    const result = await child(`
      const made = Object.getOwnPropertyDescriptor(process, 'stdout');
      let touched = false;
      Object.defineProperty(process, 'stdout', { configurable: true, get: () => ((touched = true), made.get.call(process)) });
      const out = standardOutput();
      out.write('héllo ✔\\n');
      out.write('wörld\\n');
      writeSync(2, JSON.stringify({ isTTY: out.isTTY, touched }));
    `);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'héllo ✔\nwörld\n');
    assert.deepEqual(JSON.parse(result.stderr), { isTTY: false, touched: false });
  });

  it('hands over to process.stdout when a non-blocking pipe is full (EAGAIN), losing and reordering nothing', async () => {
    // Making process.stdout first turns fd 1 non-blocking (libuv does), as a parent sharing the pipe could.
    // 40 numbered lines of 8 KiB overflow the 64 KiB pipe while the reader holds off.
    const result = await child(
      `
      process.stdout;
      const out = standardOutput();
      for (let i = 0; i < 40; i++) out.write(String(i).padStart(3, '0') + 'x'.repeat(8188) + '\\n');
      writeSync(2, JSON.stringify({ stream: out === process.stdout }));
    `,
      { holdReadingMs: 300 },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stderr), { stream: false });
    const lines = result.stdout.split('\n').slice(0, -1);
    assert.deepEqual(
      lines.map((line) => line.slice(0, 3)),
      Array.from({ length: 40 }, (_, i) => String(i).padStart(3, '0')),
    );
    assert.ok(lines.every((line) => line.length === 8191));
  });

  it('is process.stdout itself where fd 1 is neither a pipe nor a file (here /dev/null, a character device like a terminal)', async () => {
    const devNull = openSync('/dev/null', 'w');
    try {
      const result = await child(`writeSync(2, JSON.stringify({ stream: standardOutput() === process.stdout }));`, { stdout: devNull });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stderr), { stream: true });
    } finally {
      closeSync(devNull);
    }
  });
});
