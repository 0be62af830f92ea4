// A second node --test reporter: where the suite's time goes. It sums the top-level tests of each file
// (a file's tests run one after another, so the sum is the file's time) and writes the slowest files,
// each with its share of the total, to its destination. The spec reporter still prints the results.
import { relative } from 'node:path';

export default async function* durations(source) {
  const perFile = new Map();
  for await (const { type, data } of source) {
    if ((type === 'test:pass' || type === 'test:fail') && data.nesting === 0 && data.file) {
      const file = relative(process.cwd(), data.file);
      perFile.set(file, (perFile.get(file) ?? 0) + (data.details?.duration_ms ?? 0));
    }
  }
  const total = [...perFile.values()].reduce((sum, ms) => sum + ms, 0);
  yield `test files by time (sum of their tests; ${perFile.size} files, ${(total / 1000).toFixed(1)} s in all, run 2 at a time):\n`;
  for (const [file, ms] of [...perFile].sort((a, b) => b[1] - a[1])) {
    yield `${(ms / 1000).toFixed(1).padStart(7)} s  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${file}\n`;
  }
}
