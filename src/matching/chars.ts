/**
 * Per-UTF-16-unit classes and case folding, computed once into typed arrays so the
 * scanner does one array read per character and never allocates (issue 3: diacritics
 * and case do not matter; the matcher must cost well under 3 µs per post).
 */

/** Not part of any token (spaces, punctuation, emoji halves). */
export const C_SEP = 0;
/** Letter or digit of a space-separated script (Latin, Greek, Cyrillic, Hangul...). */
export const C_WORD = 1;
/** Kana or CJK ideograph: each one is a token of its own (no spaces in Japanese). */
export const C_CJK = 2;
/** Combining mark: skipped inside a word, so NFD input folds like NFC. */
export const C_MARK = 3;
/** Apostrophe: joins a word ("Schindler's"), otherwise a quote. */
export const C_APOS = 4;
/** Quote marks and 「」: evidence that a title is named. */
export const C_QUOTE = 5;
/** Ends a sentence: . ! ? … 。 and line breaks. */
export const C_STOP = 6;
export const C_COLON = 7;
export const C_HASH = 8;
export const C_AT = 9;
/** & and +: read as the word "and" ("Deadpool & Wolverine"). */
export const C_AMP = 10;
export const C_UNDERSCORE = 11;

/** Class of each UTF-16 code unit. */
export const CLASS: Uint8Array = new Uint8Array(65536);
/** Folded (lowercase, diacritic-free) code unit for C_WORD characters; 0 = two letters (see EXPAND). */
export const FOLD: Uint16Array = new Uint16Array(65536);
/** 1 when the character is an uppercase letter (before folding). */
export const UPPER: Uint8Array = new Uint8Array(65536);
/** 1 when the character is a lowercase letter. */
export const LOWER: Uint8Array = new Uint8Array(65536);
/** Letters that fold to two letters: ß → ss, æ → ae, œ → oe, þ → th. */
export const EXPAND: ReadonlyMap<number, readonly [number, number]> = new Map([
  [0xdf, [0x73, 0x73]],
  [0x1e9e, [0x73, 0x73]],
  [0xe6, [0x61, 0x65]],
  [0xc6, [0x61, 0x65]],
  [0x153, [0x6f, 0x65]],
  [0x152, [0x6f, 0x65]],
  [0xfe, [0x74, 0x68]],
  [0xde, [0x74, 0x68]],
]);
/** Letters NFD does not decompose but readers treat as the base letter. */
const EXTRA_BASE: Record<string, string> = {
  ø: 'o',
  Ø: 'o',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
  ı: 'i',
};

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;

function build(): void {
  // Space-separated scripts below U+3000: fold through NFD + lowercase.
  for (let c = 0; c < 0x3000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    if (MARK.test(ch)) {
      CLASS[c] = C_MARK;
      continue;
    }
    if (!LETTER_OR_DIGIT.test(ch)) continue;
    CLASS[c] = C_WORD;
    const lower = ch.toLowerCase();
    if (lower !== ch) UPPER[c] = 1;
    else if (ch.toUpperCase() !== ch) LOWER[c] = 1;
    if (EXPAND.has(c)) continue;
    const base = EXTRA_BASE[ch] ?? lower.normalize('NFD');
    FOLD[c] = base.length > 0 ? base.charCodeAt(0) : c;
  }
  for (let c = 0xac00; c <= 0xd7af; c++) {
    CLASS[c] = C_WORD;
    FOLD[c] = c;
  }
  const cjk = (from: number, to: number): void => {
    for (let c = from; c <= to; c++) {
      CLASS[c] = C_CJK;
      FOLD[c] = c;
    }
  };
  cjk(0x3041, 0x3096); // hiragana
  cjk(0x30a1, 0x30fa); // katakana
  cjk(0x30fc, 0x30fc); // ー (long vowel mark, part of katakana words)
  cjk(0x3400, 0x4dbf);
  cjk(0x4e00, 0x9fff);
  cjk(0xf900, 0xfaff);
  // Half-width katakana: fold to full width so both spellings match.
  const half = 'ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ';
  const full =
    'ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン';
  for (let k = 0; k < half.length; k++) {
    const c = half.charCodeAt(k);
    CLASS[c] = C_CJK;
    FOLD[c] = full.charCodeAt(k);
  }
  // Full-width ASCII letters and digits (common in Japanese posts): fold to ASCII.
  for (let c = 0xff10; c <= 0xff5a; c++) {
    const a = c - 0xfee0;
    const ch = String.fromCharCode(a);
    if (!/[0-9A-Za-z]/.test(ch)) continue;
    CLASS[c] = C_WORD;
    FOLD[c] = ch.toLowerCase().charCodeAt(0);
    if (a >= 0x41 && a <= 0x5a) UPPER[c] = 1;
    else if (a >= 0x61) LOWER[c] = 1;
  }
  for (const ch of "'’‘`´") CLASS[ch.charCodeAt(0)] = C_APOS;
  for (const ch of '"“”„‟«»‹›「」『』＂*') CLASS[ch.charCodeAt(0)] = C_QUOTE;
  for (const ch of '.!?…。！？\n\r;') CLASS[ch.charCodeAt(0)] = C_STOP;
  for (const ch of ':：') CLASS[ch.charCodeAt(0)] = C_COLON;
  for (const ch of '#＃') CLASS[ch.charCodeAt(0)] = C_HASH;
  CLASS[0x40] = C_AT;
  CLASS[0x26] = C_AMP;
  CLASS[0x2b] = C_AMP;
  CLASS[0xff06] = C_AMP;
  CLASS[0x5f] = C_UNDERSCORE;
}
build();

/** Bits of INFO besides the class in its low 4 bits. */
export const I_UPPER = 16;
export const I_LOWER = 32;
export const I_DIGIT = 64;
/**
 * CLASS, UPPER, LOWER and digit-ness packed in one byte per code unit, so the scanner's
 * inner loop does a single table read per character.
 */
export const INFO: Uint8Array = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) {
  let v = CLASS[c]!;
  if (UPPER[c] === 1) v |= I_UPPER;
  if (LOWER[c] === 1) v |= I_LOWER;
  if (v === C_WORD && FOLD[c]! >= 0x30 && FOLD[c]! <= 0x39) v |= I_DIGIT;
  INFO[c] = v;
}
