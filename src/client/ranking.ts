/**
 * The SDK's ranking state: the list the server last sent in full (`set_movies`) with
 * every protocol-v2 `update_movies` applied since, through the one apply rule of
 * src/protocol/ranking.ts. Apps only ever see whole lists (the `ranking` event), in v1
 * and v2 alike.
 */
import {
  applyRankingUpdate,
  RankingUpdateError,
  type SetMoviesMessage,
  type UpdateMoviesMessage,
} from '../protocol/index.js';
import type { Ranking } from './client.js';

export class RankingState {
  private value: Ranking | null = null;

  get current(): Ranking | null {
    return this.value;
  }

  /** A full list replaces whatever was held. */
  set(params: SetMoviesMessage['params']): Ranking {
    this.value = { movies: params.movies, generatedAt: params.generated_at };
    return this.value;
  }

  /**
   * Applies an update to the held list. Throws RankingUpdateError when there is no list
   * to apply it to or it does not fit it (the connection is then out of step and must
   * be replaced: a new connection starts with a full list).
   */
  update(params: UpdateMoviesMessage['params']): Ranking {
    if (this.value === null) throw new RankingUpdateError('update_movies before set_movies');
    this.value = {
      movies: applyRankingUpdate(this.value.movies, params),
      generatedAt: params.generated_at,
    };
    return this.value;
  }
}
