/**
 * `createSource(options)`: the one entry point the feeder and the CLI use. Options are a
 * union keyed on `kind`; each source documents its own options and defaults.
 */
import type { Source } from '../source.js';
import { type JetstreamOptions, JetstreamSource } from './jetstream.js';
import { type ReplayOptions, ReplaySource } from './replay.js';
import { type SyntheticOptions, SyntheticSource } from './synthetic.js';
import { type XOptions, XSource } from './x.js';

export type { JetstreamOptions, JetstreamStats } from './jetstream.js';
export { DEFAULT_JETSTREAM_URL, JetstreamSource } from './jetstream.js';
export type { ReplayOptions, ReplayStats } from './replay.js';
export { parseReplayLine, ReplaySource } from './replay.js';
export type { SyntheticOptions } from './synthetic.js';
export { SyntheticSource } from './synthetic.js';
export type { XErrorCode, XOptions, XStats } from './x.js';
export { XSource } from './x.js';
export type { MatchingRule, XTweet } from './x-format.js';
export { movieIdsOfTag } from './x-rules.js';

export type SourceOptions = SyntheticOptions | JetstreamOptions | XOptions | ReplayOptions;
export type SourceKind = SourceOptions['kind'];

export function createSource(options: SourceOptions): Source {
  switch (options.kind) {
    case 'synthetic':
      return new SyntheticSource(options);
    case 'jetstream':
      return new JetstreamSource(options);
    case 'x':
      return new XSource(options);
    case 'replay':
      return new ReplaySource(options);
  }
}
