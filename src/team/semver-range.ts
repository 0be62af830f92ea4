/**
 * Just enough of npm's semver ranges for a template's `requires`: comparators (>=, >, <=, <, =), caret,
 * tilde, x-ranges and `||`; e.g. `>=1.2.0 <2`, `^0.3.1`, `~1.4`, `1.x`. Pre-release tags are ignored.
 */
type Version = readonly [number, number, number];

const PART = '(\\d+|[xX*])';
const VERSION = new RegExp(`^v?${PART}(?:\\.${PART})?(?:\\.${PART})?(?:[-+].*)?$`);

function parsePartial(text: string): (number | undefined)[] | undefined {
  const match = VERSION.exec(text);
  if (!match) return undefined;
  return match.slice(1, 4).map((part) => (part === undefined || /[xX*]/.test(part) ? undefined : Number(part)));
}

function compare(a: Version, b: Version): number {
  for (let index = 0; index < 3; index += 1) {
    const diff = (a[index] ?? 0) - (b[index] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** A comparator as [lower bound inclusive?, upper bound exclusive] pairs on a version. */
function satisfiesComparator(version: Version, comparator: string): boolean {
  const match = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(comparator);
  const parts = match && parsePartial(match[2] ?? '');
  if (!match || !parts) throw new Error(`invalid range comparator ${JSON.stringify(comparator)}`);
  const operator = match[1] ?? '=';
  const [major, minor, patch] = parts;
  const floor: Version = [major ?? 0, minor ?? 0, patch ?? 0];
  const bump = (level: number): Version =>
    level === 0 ? [(major ?? 0) + 1, 0, 0] : level === 1 ? [major ?? 0, (minor ?? 0) + 1, 0] : [major ?? 0, minor ?? 0, (patch ?? 0) + 1];
  const specified = parts.filter((part) => part !== undefined).length;
  const inRange = (upper: Version | undefined) => compare(version, floor) >= 0 && (upper === undefined || compare(version, upper) < 0);
  switch (operator) {
    case '>=': return compare(version, floor) >= 0;
    case '>': return specified === 3 ? compare(version, floor) > 0 : compare(version, bump(specified - 1)) >= 0;
    case '<': return compare(version, floor) < 0;
    case '<=': return specified === 3 ? compare(version, floor) <= 0 : compare(version, bump(specified - 1)) < 0;
    case '~': return inRange(bump(specified >= 2 ? 1 : 0));
    case '^': {
      const level = (major ?? 0) !== 0 || specified === 1 ? 0 : (minor ?? 0) !== 0 || specified === 2 ? 1 : 2;
      return inRange(bump(level));
    }
    default: return specified === 0 ? true : inRange(bump(specified - 1));
  }
}

export function isValidRange(range: string): boolean {
  try {
    satisfies('0.0.0', range);
    return true;
  } catch {
    return false;
  }
}

export function satisfies(versionText: string, range: string): boolean {
  const version = parsePartial(versionText);
  if (!version || version.some((part) => part === undefined)) throw new Error(`invalid version ${versionText}`);
  const alternatives = range.split('||').map((alternative) => alternative.trim());
  return alternatives.some((alternative) => {
    const comparators = alternative === '' ? ['*'] : alternative.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/);
    return comparators.every((comparator) => satisfiesComparator(version as unknown as Version, comparator));
  });
}
