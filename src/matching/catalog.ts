/** Placeholder; the matching work replaces this file. */
export interface CatalogMovie {
  id: number;
  title: string;
  year?: number;
  aliases?: string[];
  hashtags?: string[];
  [extra: string]: unknown;
}
export interface Catalog {
  movies: CatalogMovie[];
}
