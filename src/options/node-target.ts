import { nodeEngines } from '../project/node-engines.ts';
import type { NodeMajor } from './answers.ts';

/**
 * Whether this machine's Node.js can run the project it is about to write. The generator itself runs on
 * older releases than the projects it makes (whose scripts run TypeScript directly), so a run on Node 20
 * is fine, but `npm run dev` in its output would fail: better said before writing than found after.
 */
const numbers = (version: string): number[] => version.replace(/^[^\d]*/, '').split('.').map(Number);

function isOlder(version: string, floor: string): boolean {
  const [a, b] = [numbers(version), numbers(floor)];
  for (let i = 0; i < 3; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference < 0;
  }
  return false;
}

/** The oldest release the project accepts (its `engines` floor, e.g. `22.18`) when `running` is older, else undefined. */
export function nodeFloorAbove(target: NodeMajor, running: string): string | undefined {
  const floor = nodeEngines[target].replace(/^>=/, '');
  return isOlder(running, floor) ? floor : undefined;
}

/** The ways to switch to the Node a project needs besides nvm, which most steps name first. */
export const otherNodeSwitches = (major: NodeMajor): string =>
  `\`fnm use\` (reads .nvmrc too), \`volta install node@${major}\`, or the installer from https://nodejs.org/en/download`;

/** How to get the Node a project needs, as its own scripts say it (scripts/require-node.cjs). */
export const switchNodeAdvice = (major: NodeMajor): string => `\`nvm use\`, ${otherNodeSwitches(major)}`;
