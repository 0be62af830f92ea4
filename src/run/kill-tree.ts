import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Stops a process and every process it started. git, for one, leaves the network to helpers
 * (`git-remote-https`, `ssh`, `git-upload-pack`): stopping git alone would leave them waiting on a
 * silent connection. The processes stay in the terminal's process group (a group of their own would
 * stop ssh from asking for a passphrase), so the tree is found by parent ids: from /proc on Linux, from
 * `ps` elsewhere, and Windows' taskkill walks it itself.
 */
function parentsOnLinux(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so read after the last `)`.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // It ended while the table was read.
    }
  }
  return parents;
}

function parentsFromPs(): Map<number, number> {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return new Map(table.trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number) as [number, number]));
}

function tree(root: number): number[] {
  let parents: Map<number, number>;
  try {
    parents = process.platform === 'linux' ? parentsOnLinux() : parentsFromPs();
  } catch {
    return [root];
  }
  const found = [root];
  for (let index = 0; index < found.length; index += 1) {
    for (const [pid, parent] of parents) if (parent === found[index] && !found.includes(pid)) found.push(pid);
  }
  return found;
}

export function killTree(pid: number): void {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' });
    return;
  }
  // Listed first, then stopped: a helper whose parent is gone is adopted by init and could not be found.
  for (const member of tree(pid)) {
    try {
      process.kill(member, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
