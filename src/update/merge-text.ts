import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { GenerationError } from '../errors.ts';

/**
 * The three-way merge of one text file, leaving standard diff3-style conflict markers where both sides
 * changed the same lines:
 *
 *   <<<<<<< yours
 *   (the project's lines)
 *   ||||||| base create-secure-express 0.1.0
 *   (the lines both started from)
 *   =======
 *   (the new version's lines)
 *   >>>>>>> new create-secure-express 0.2.0
 *
 * `git merge-file --diff3` when git is there: the merge people already know, whose markers their
 * editors and `git diff` understand. Without git, node-diff3 (loaded only then), with the same markers
 * and labels. Neither touches a git index: the project never has unmerged entries, only files with
 * markers, which the user resolves and commits like any other change.
 */
export interface MergeLabels {
  readonly yours: string;
  readonly base: string;
  readonly theirs: string;
}

export interface Merged {
  readonly text: string;
  readonly conflicts: number;
}

export interface TextMerger {
  readonly engine: 'git merge-file' | 'node-diff3';
  merge(yours: string, base: string, theirs: string): Promise<Merged>;
}

async function gitMerger(labels: MergeLabels, workDir: string): Promise<TextMerger> {
  const dir = mkdtempSync(join(workDir, 'merge-'));
  let count = 0;
  return {
    engine: 'git merge-file',
    async merge(yours, base, theirs) {
      count += 1;
      const files = (['yours', 'base', 'theirs'] as const).map((side) => join(dir, `${count}.${side}`));
      [yours, base, theirs].forEach((text, index) => writeFileSync(files[index] as string, text));
      const labelArgs = [labels.yours, labels.base, labels.theirs].flatMap((label) => ['-L', label]);
      const result = await execa('git', ['merge-file', '-p', '--diff3', ...labelArgs, ...files], {
        cwd: dir,
        reject: false,
        stdin: 'ignore',
        stripFinalNewline: false,
      });
      // The exit code is the number of conflicts (at most 127), and negative (255) on an error.
      if (result.exitCode === undefined || result.exitCode > 127) {
        throw new GenerationError(`git merge-file failed: ${String(result.stderr || result.shortMessage).split('\n')[0]}`);
      }
      return { text: String(result.stdout), conflicts: result.exitCode };
    },
  };
}

/** Lines with their line endings, so the merge keeps them (and a last line without one) byte for byte. */
const lines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

async function libraryMerger(labels: MergeLabels): Promise<TextMerger> {
  const { diff3Merge } = await import('node-diff3');
  return {
    engine: 'node-diff3',
    async merge(yours, base, theirs) {
      let text = '';
      let conflicts = 0;
      // Markers in the file's own line endings, as git writes them.
      const eol = yours.includes('\r\n') ? '\r\n' : '\n';
      const section = (content: readonly string[]) => {
        const joined = content.join('');
        return joined === '' || joined.endsWith('\n') ? joined : `${joined}${eol}`;
      };
      for (const region of diff3Merge(lines(yours), lines(base), lines(theirs), { excludeFalseConflicts: true })) {
        if (region.ok) {
          text += region.ok.join('');
          continue;
        }
        if (!region.conflict) continue;
        conflicts += 1;
        const { a, o, b } = region.conflict;
        // Each section ends with a line ending, so that the next marker starts a line.
        text += `<<<<<<< ${labels.yours}${eol}${section(a)}||||||| ${labels.base}${eol}${section(o)}=======${eol}${section(b)}>>>>>>> ${labels.theirs}${eol}`;
      }
      return { text, conflicts };
    },
  };
}

export async function hasGit(): Promise<boolean> {
  const result = await execa('git', ['--version'], { reject: false, stdin: 'ignore' });
  return !result.failed;
}

export async function textMerger(labels: MergeLabels, workDir: string, { git }: { git: boolean }): Promise<TextMerger> {
  return git ? gitMerger(labels, workDir) : libraryMerger(labels);
}
