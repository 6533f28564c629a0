import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root, found from this module's location, so that the same code finds `rules/` and
 * the schema whether it runs from `src/` (tests) or from `dist/src/` (the built CLI).
 */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** True when running the compiled JavaScript (then TypeScript rules are loaded from dist/). */
export const RUNNING_COMPILED = import.meta.url.endsWith('.js');

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
}

export const RULES_DIR = join(PACKAGE_ROOT, 'rules');
export const SCHEMA_DIR = join(PACKAGE_ROOT, 'src', 'case-db', 'schema');
/** Where compiled TypeScript rules live (mirrors rules/). */
export const COMPILED_RULES_DIR = join(PACKAGE_ROOT, 'dist', 'rules');
