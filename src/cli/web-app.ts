/**
 * Where the built web app is: `dist/web/` of this package (scripts/build-web.mjs writes
 * it; package.json "files" ships it). Found from this file upwards, so it is the same
 * whether the CLI runs from dist/ or from source through tsx.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 8; k++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return process.cwd();
}

export const DEFAULT_WEB_DIR: string = join(packageRoot(), 'dist', 'web');
