import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Migration } from 'kysely/migration';

/** A migration file, read once so that what is checked is exactly what is applied. */
export interface MigrationFile {
  /** The file name without its extension: the name Kysely records it under. */
  readonly name: string;
  /** Where its source lives in the project, as people edit it: `src/db/migrations/<name>.ts`. */
  readonly source: string;
  readonly migration: Migration;
  /** Still the empty template of `npm run new:migration` (it exports `unfinished`): never applied. */
  readonly unfinished: boolean;
  /** SHA-256 of its TypeScript source, line endings made LF: the same from src/ and from dist/. */
  readonly sha256: string;
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL('migrations/', import.meta.url));

/**
 * The TypeScript source of a migration. Run from src/ it is the file itself; run from dist/ it is the
 * copy the build keeps in the source map (`inlineSources` in tsconfig.build.json), so a database
 * migrated by `npm run db:migrate` from src/ is checked against the same text by `npm start`.
 */
async function sourceText(file: string): Promise<string> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the project's own folder, not input
  if (file.endsWith('.ts')) return readFile(file, 'utf8');
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the project's own folder, not input
  const map = JSON.parse(await readFile(`${file}.map`, 'utf8').catch(() => '{}')) as { sourcesContent?: unknown[] };
  const text = map.sourcesContent?.[0];
  if (typeof text !== 'string') throw new Error(`${file}.map holds no source to check the migration against: build with npm run build`);
  return text;
}

/**
 * Every file in src/db/migrations (dist/db/migrations once built), in name order: names start with a
 * timestamp (`npm run new:migration`), so the order is the order they were written in. Imported by
 * file URL, which works on every platform, where a bare Windows path would not; importing a file also
 * makes `npm run dev` restart when it is saved.
 */
export async function readMigrationFiles(): Promise<MigrationFile[]> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the project's own folder, not input
  const names = (await readdir(MIGRATIONS_FOLDER)).filter((name) => /^[^.].*(?<!\.d)\.(ts|js)$/.test(name)).sort();
  return Promise.all(
    names.map(async (fileName) => {
      const file = join(MIGRATIONS_FOLDER, fileName);
      const name = fileName.replace(/\.(ts|js)$/, '');
      const module = (await import(pathToFileURL(file).href)) as Migration & { unfinished?: unknown };
      const text = (await sourceText(file)).replaceAll('\r\n', '\n');
      return {
        name,
        source: `src/db/migrations/${name}.ts`,
        migration: module,
        unfinished: module.unfinished === true,
        sha256: createHash('sha256').update(text).digest('hex'),
      };
    }),
  );
}
