/** How numbers, times and names read on the page (the user's locale, via Intl). */

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(undefined, {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export const formatCount = (n: number): string => integer.format(n);
export const formatTrend = (t: number): string => `${oneDecimal.format(t)}×`;
export const formatAbsolute = (ms: number): string => absolute.format(ms);
export const formatClock = (ms: number): string => clock.format(ms);

/** "now", "12 sec. ago", "3 min. ago", "2 hr. ago", then the date. */
export function formatAgo(ms: number, now: number): string {
  const s = Math.round((now - ms) / 1000);
  if (s < 5) return 'now';
  if (s < 60) return relative.format(-s, 'second');
  const m = Math.round(s / 60);
  if (m < 60) return relative.format(-m, 'minute');
  const h = Math.round(m / 60);
  if (h < 24) return relative.format(-h, 'hour');
  return absolute.format(ms);
}

/** Where a post's original lives, for its link text ("View on Bluesky"). */
export function sourceName(source: string): string {
  switch (source) {
    case 'bluesky':
      return 'Bluesky';
    case 'x':
      return 'X';
    default:
      return 'the original';
  }
}

/** Initials for an avatar: the first letters of the first two words. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const letters = words.slice(0, 2).map((w) => [...w][0] ?? '');
  return (letters.join('') || '?').toUpperCase();
}

/** A stable hue (0–359) for a user id, so an author keeps their avatar colour. */
export function hueOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) % 360;
}
