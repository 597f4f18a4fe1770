/**
 * Everyday firehose text for the feeder benchmark: what the ~98% of posts that name no
 * film look like. Bluesky's language mix and lengths, roughly (public firehose samples,
 * 2024–25: about half English, a large Japanese share, then Portuguese, German, Spanish,
 * French, Korean; most posts one or two sentences, a long tail up to the 300-grapheme
 * limit), with the things that make real text awkward for a scanner: emoji, links,
 * @handles, hashtags, line breaks, quotes, CJK without spaces.
 */
import { intBetween, pick, type Random } from '../../src/feeder/sources/prng.js';

type Lang = 'en' | 'ja' | 'pt' | 'de' | 'es' | 'fr' | 'ko';

/** Cumulative language shares. */
const LANGS: ReadonlyArray<readonly [Lang, number]> = [
  ['en', 0.5],
  ['ja', 0.68],
  ['pt', 0.8],
  ['de', 0.87],
  ['es', 0.93],
  ['fr', 0.97],
  ['ko', 1],
];

const SENTENCES: Record<Lang, readonly string[]> = {
  en: [
    'good morning everyone',
    'coffee first, then we talk',
    'the bus was twenty minutes late again and nobody said a word',
    'anyone else having trouble with the app today?',
    'my cat just knocked my plant off the windowsill for the third time this week',
    'weapons of mass destruction were never found, read the report',
    'we sang together all night at the wedding',
    'finally in a flow state at work today',
    'reading about the civil war for my history exam tomorrow',
    'the sinners in this parish need more coffee',
    'hot take: pineapple on pizza is fine, actually',
    "I don't think people realise how much the rent went up here",
    'shipping a release today, wish me luck',
    'does anyone have a good sourdough recipe that is not three pages of backstory?',
    'the sunset tonight was unreal',
    'new paper out on protein folding, thread below',
    'this is the best thread I have read all year',
    'lol',
    'same',
    'Thank you all for the kind words, it means a lot.',
    'The Senate vote is scheduled for Thursday, call your representatives.',
    'Just finished a 10k run, legs are jelly',
    'Can someone explain why my build passes locally and fails in CI',
    'birds are just little guys who want seeds',
    'What a match last night, that last goal in stoppage time!',
    'my kid asked me why the sky is blue and I panicked',
    'please boost, looking for a new role in data engineering',
    'The new album drops at midnight and I am not sleeping',
    'rain all week. great. love that for us',
    'Reminder that you can just leave the party early',
  ],
  ja: [
    'おはようございます',
    '今日は雨ですね、洗濯物が乾かない',
    '仕事終わった〜疲れた',
    'このアプリ使いやすいな',
    '新しいカフェに行ってきた、ケーキが美味しかった',
    '猫がキーボードの上で寝てる',
    '明日から連休なのでゆっくりします',
    'ラーメン食べたい',
    '電車が遅れてて困る',
    '絵を描きました、見てください',
  ],
  pt: [
    'bom dia, muito trabalho hoje',
    'alguém sabe se o metrô está funcionando?',
    'que calor absurdo nessa cidade',
    'finalmente sexta-feira',
    'o jogo de ontem foi uma loucura',
    'vou dormir cedo hoje, prometo',
    'essa rede social é muito melhor que a outra',
  ],
  de: [
    'endlich Wochenende',
    'Die Bahn hat wieder Verspätung, wer hätte das gedacht',
    'Guten Morgen zusammen',
    'Heute gibt es Käsespätzle',
    'Ich habe keine Lust auf Montag',
    'Schönes Wetter heute in Berlin',
  ],
  es: [
    'buenos días a todos',
    'qué calor hace hoy',
    '¿alguien sabe a qué hora abre la biblioteca?',
    'el partido de ayer fue increíble',
    'necesito vacaciones ya',
    'mañana empiezo el gimnasio, esta vez sí',
  ],
  fr: [
    "il pleut encore à Paris aujourd'hui",
    'bonne journée à tous',
    "j'ai trop mangé ce midi",
    'la grève continue demain, courage à tous',
    'qui a des recommandations de livres ?',
  ],
  ko: ['오늘 날씨 좋다', '퇴근하고 싶다', '커피 마시러 가자', '주말에 뭐 하지', '이 앱 좋네요'],
};

const EMOJI = ['🍿', '😭', '🔥', '🤯', '👏', '💀', '😍', '🙌', '🥲', '✨', '😴', '🤔', '❤️', '🦋'];
const TAGS = ['art', 'photography', 'bookstodon', 'gamedev', 'caturday', 'news', 'f1', 'nba'];
const SITES = ['www.theguardian.com', 'github.com', 'youtu.be', 'www.nytimes.com', 'arxiv.org'];

export function pickLang(random: Random): Lang {
  const x = random();
  for (const [lang, upTo] of LANGS) if (x < upTo) return lang;
  return 'en';
}

export function randomId(random: Random, length: number, alphabet: string): string {
  let s = '';
  for (let k = 0; k < length; k++) s += alphabet[Math.floor(random() * alphabet.length)];
  return s;
}

export interface Chatter {
  text: string;
  lang: Lang;
  /** Set when the text carries a link (the event then gets a link facet or a card). */
  link?: string;
}

/** One post's text in no way about a film. */
export function chatter(random: Random): Chatter {
  const lang = pickLang(random);
  const bank = SENTENCES[lang];
  const parts: string[] = [];
  const sentences = random() < 0.55 ? 1 : intBetween(random, 2, 5);
  for (let k = 0; k < sentences; k++) {
    let s = pick(random, bank);
    if (random() < 0.3) s += ` ${pick(random, EMOJI)}`;
    parts.push(s);
  }
  let text = parts.join(random() < 0.2 ? '\n\n' : lang === 'ja' ? '' : '. ');
  if (random() < 0.08) text = `@${randomId(random, 8, 'abcdefghijklmnop')}.bsky.social ${text}`;
  if (random() < 0.1) text += ` #${pick(random, TAGS)}`;
  if (random() < 0.04) text = `"${text}"`;
  let link: string | undefined;
  if (random() < 0.12) {
    link = `https://${pick(random, SITES)}/${randomId(random, 10, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    text += ` ${link}`;
  }
  // Bluesky's limit is 300 graphemes; cut on a code point boundary.
  if (text.length > 300) text = Array.from(text).slice(0, 290).join('');
  return link === undefined ? { text, lang } : { text, lang, link };
}
