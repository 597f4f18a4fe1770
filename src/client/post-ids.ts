/**
 * Post ids are "<ms>-<seq>" (PROTOCOL.md § post_tweet), strictly increasing within a
 * movie. The client compares them to drop replays it has already seen. A copy of the
 * engine's comparison: the SDK may not import server code.
 */
export function comparePostIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  const dm = Number(am) - Number(bm);
  return dm !== 0 ? dm : Number(as) - Number(bs);
}
