// The generated project as its users meet it, on Node 24: `npm install` from a warm cache (the way a
// second project installs on a developer's machine: cache filled, no lockfile yet), how many packages
// that brings (production and development), and `npm test`.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { countPackages, generatedProject, log, row, runAlone, seconds, timed } from './lib.mjs';

export async function projectBench() {
  const { dir, env, firstInstall } = generatedProject();

  // The first install (in generatedProject) filled the cache; this one is timed from it.
  rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
  rmSync(join(dir, 'package-lock.json'), { force: true });
  log('generated project: npm install from the warm cache ...');
  const install = timed('npm', ['install', '--prefer-offline', '--loglevel=error'], { cwd: dir, env }).seconds;

  const all = countPackages(dir);
  const production = countPackages(dir, ['--omit=dev']);

  log('generated project: npm test ...');
  const test = timed('npm', ['test'], { cwd: dir, env });
  const passed = /^(?:# |ℹ )pass (\d+)/m.exec(test.stdout)?.[1] ?? '?';

  return [
    row('project', 'npm install, first (cache as found)', seconds(firstInstall)),
    row('project', 'npm install, warm cache, no lockfile', seconds(install), 'seconds', install < 10),
    row('project', 'packages installed: production / all', `${production} / ${all}`),
    row('project', `npm test (${passed} tests pass)`, seconds(test.seconds), 'seconds', test.seconds < 10),
  ];
}

await runAlone(import.meta, projectBench);
