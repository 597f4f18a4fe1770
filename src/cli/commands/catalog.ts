/**
 * `filmgrain catalog check FILE`: validates a catalog file and prints OK with the movie
 * count, or every problem with its JSON path. Exit 0 when valid, 1 otherwise.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseCatalogText } from '../../matching/catalog.js';
import type { Command } from '../command.js';

const HELP = `usage: filmgrain catalog check FILE

Validates a catalog: {"movies": [{"id": <positive int>, "title": string, "year"?: int,
"aliases"?: [string], "hashtags"?: [string without #]}, ...]}. Prints OK and the movie
count, or the problems with their JSON paths. Exit 0 if valid, 1 if not.

options:
  -h, --help  this text`;

export const command: Command = {
  summary: 'validate a catalog file (catalog check FILE)',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h', default: false } },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const [sub, file] = positionals;
    if (sub !== 'check' || file === undefined || positionals.length !== 2) {
      console.error(HELP);
      return 2;
    }
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      console.error(`${file}: cannot read (${(err as Error).message})`);
      return 1;
    }
    const result = parseCatalogText(text);
    if (!result.ok) {
      console.error(`${file}: invalid catalog`);
      for (const e of result.errors) console.error(`  ${e}`);
      return 1;
    }
    console.log(`OK ${file}: ${result.catalog.movies.length} movies`);
    return 0;
  },
};
