/**
 * `filmgrain eval [--set DIR_OR_FILE] [--catalog FILE]`: the matcher's precision, recall
 * and F1 on labeled posts, for each split of the shipped data/eval/ (dev: tuned on; test:
 * written blind, data/eval/README.md), overall and per category, with the worst errors.
 * It reports; it gates only when asked (`--min-f1`), so a blind score is never turned
 * into a target to tune for. For the same reason the blind split's individual errors are
 * listed only with `--test-errors`: printed by default, they were read on a routine run
 * and so could steer the next change (issue 12: "never tuned against afterwards").
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOG_PATH, loadCatalog } from '../../matching/catalog.js';
import { evaluate, loadSplits, type Score, worstMisses } from '../../matching/evaluate.js';
import { compileMatcher } from '../../matching/matcher.js';
import type { Command } from '../command.js';

/** Worst errors listed per split unless --all or --errors N says otherwise. */
const DEFAULT_ERRORS = 15;

/** The split written blind (data/eval/README.md): its figures are printed, its errors only on request. */
const BLIND_SPLIT = 'test';

const HELP = `usage: filmgrain eval [--set DIR_OR_FILE] [--catalog FILE] [--errors N | --all | --quiet]
                     [--test-errors] [--min-f1 F]

Scores the matcher on labeled NDJSON posts {"id","text","movie_ids":[...],"category"?}:
micro precision, recall and F1 over (post, movie) pairs, overall and per category. A
folder with dev/ and test/ subfolders (the shipped data/eval/) is reported per split:
dev is tuned on, test was written blind (data/eval/README.md).

options:
  --set PATH      a labeled .ndjson file, a folder of them, or a folder with dev/ and test/
                  (default: the shipped data/eval/)
  --catalog FILE  catalog JSON (default: the shipped data/catalog.json)
  --errors N      list the N worst errors of each split (default ${DEFAULT_ERRORS})
  --all           list every error
  --quiet         only the figures
  --test-errors   also list the blind test split's errors (default: its figures only, so
                  that its posts are not read and tuned against)
  --min-f1 F      exit 1 if any split scores F1 below F (default: report only, exit 0)
  -h, --help      this text`;

const fmt = (x: number): string => x.toFixed(4);

function line(label: string, s: Score): string {
  return `${label.padEnd(14)} posts ${String(s.posts).padStart(4)}  tp ${String(s.truePositives).padStart(4)}  fp ${String(s.falsePositives).padStart(3)}  fn ${String(s.falseNegatives).padStart(3)}  precision ${fmt(s.precision)}  recall ${fmt(s.recall)}  F1 ${fmt(s.f1)}`;
}

export const command: Command = {
  summary: 'score the matcher on the labeled splits (precision, recall, F1 per category)',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        set: { type: 'string' },
        catalog: { type: 'string' },
        errors: { type: 'string' },
        all: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        'test-errors': { type: 'boolean', default: false },
        'min-f1': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const limitText = values.errors ?? String(DEFAULT_ERRORS);
    const limit = values.all ? Number.POSITIVE_INFINITY : values.quiet ? 0 : Number(limitText);
    const minF1 = values['min-f1'] === undefined ? 0 : Number(values['min-f1']);
    if (!Number.isInteger(limit) && limit !== Number.POSITIVE_INFINITY) {
      console.error(`filmgrain eval: --errors must be a whole number, got ${limitText}`);
      return 2;
    }
    if (limit < 0 || !Number.isFinite(minF1) || minF1 < 0 || minF1 > 1) {
      console.error('filmgrain eval: --errors must be >= 0 and --min-f1 between 0 and 1');
      return 2;
    }
    const catalog = await loadCatalog(values.catalog ?? DEFAULT_CATALOG_PATH);
    const matcher = compileMatcher(catalog);
    const splits = await loadSplits(values.set ?? resolve(DEFAULT_CATALOG_PATH, '..', 'eval'));
    const titles = new Map(catalog.movies.map((m) => [m.id, `${m.title} (${m.year ?? '?'})`]));
    const name = (id: number): string => `${id} ${titles.get(id) ?? '(not in catalog)'}`;
    let ok = true;
    for (const split of splits) {
      const report = evaluate(matcher, split.posts);
      console.log(`== ${split.name} (${split.path})`);
      console.log(line('all', report));
      for (const c of report.categories) console.log(line(`  ${c.category}`, c.score));
      const blindHidden = split.name === BLIND_SPLIT && !values['test-errors'];
      const shown = blindHidden ? [] : worstMisses(report.misses, limit);
      if (blindHidden && report.misses.length > 0 && limit > 0) {
        console.log(
          `${report.misses.length} posts with errors (blind split: --test-errors lists them)`,
        );
      }
      if (shown.length > 0) {
        console.log(`worst errors (${shown.length} of ${report.misses.length}):`);
        for (const miss of shown) {
          console.log(
            `  ${miss.post.id} [${miss.post.category ?? '-'}] ${JSON.stringify(miss.post.text)}`,
          );
          for (const id of miss.extra) console.log(`      false positive  ${name(id)}`);
          for (const id of miss.missing) console.log(`      missed          ${name(id)}`);
        }
      }
      console.log('');
      if (report.f1 < minF1) ok = false;
    }
    return ok ? 0 : 1;
  },
};
