// A second node --test reporter: where the suite's time goes. It sums the top-level tests of each file
// (a file's tests run one after another, so the sum is the file's time) and writes the slowest files,
// each with its share of the total, then the slowest single tests (suites left out: their time is their
// tests'), to its destination. The spec reporter still prints the results.
import { relative } from 'node:path';

const SLOWEST_TESTS = 30;
const seconds = (ms) => `${(ms / 1000).toFixed(1).padStart(7)} s`;

export default async function* durations(source) {
  const perFile = new Map();
  const tests = [];
  for await (const { type, data } of source) {
    if ((type !== 'test:pass' && type !== 'test:fail') || !data.file) continue;
    const file = relative(process.cwd(), data.file);
    const ms = data.details?.duration_ms ?? 0;
    if (data.nesting === 0) perFile.set(file, (perFile.get(file) ?? 0) + ms);
    if (data.details?.type !== 'suite') tests.push({ file, name: data.name, ms });
  }
  const total = [...perFile.values()].reduce((sum, ms) => sum + ms, 0);
  yield `test files by time (sum of their tests; ${perFile.size} files, ${(total / 1000).toFixed(1)} s in all, run 2 at a time):\n`;
  for (const [file, ms] of [...perFile].sort((a, b) => b[1] - a[1])) {
    yield `${seconds(ms)}  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${file}\n`;
  }
  yield `\nthe ${String(SLOWEST_TESTS)} slowest tests:\n`;
  for (const { file, name, ms } of tests.sort((a, b) => b.ms - a.ms).slice(0, SLOWEST_TESTS)) {
    yield `${seconds(ms)}  ${file}: ${name}\n`;
  }
}
