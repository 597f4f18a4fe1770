/**
 * Word lists the matcher reasons with: signs of film intent (issue 3: "watched, saw,
 * trailer, movie, film, cinema, IMAX, box office, sequel, cast...", also in the other
 * common languages of the firehose), and well-known longer titles or phrases that
 * contain a catalog title without being it ("Captain America: Civil War").
 * Everything here is folded text: lowercase, no diacritics.
 */

/** Verbs of watching: "saw Weapons", "vi Weapons", "assisti Weapons", "Weapons gesehen". */
export const FILM_VERBS: readonly string[] = [
  'watched',
  'watch',
  'watching',
  'rewatched',
  'rewatch',
  'rewatching',
  'saw',
  'seen',
  'streamed',
  'streaming',
  'vi',
  'vimos',
  // "¿alguien vio the iron claw?", "viste weapons?": saw, in Spanish.
  'vio',
  'viste',
  'vieron',
  'visto',
  'mire',
  'assisti',
  'assistimos',
  'assistir',
  'assistindo',
  'vu',
  'revu',
  'regarde',
  'gesehen',
  'geschaut',
  'angeschaut',
  'ver',
  'vou',
  'voir',
  'vedere',
  'visto',
  'guardato',
  'encanto',
  'encantou',
  'amei',
  'adore',
  'adorei',
  'odie',
  'odiei',
  // Rewatched: "revi tubarão ontem", "ho rivisto il padrino".
  'revi',
  // "ich fand weapons richtig gut": found (it good).
  'fand',
  'reassisti',
  'rivisto',
];

/** Nouns that name the film itself or its trappings: "Weapons trailer", "la película Flow". */
export const FILM_NOUNS: readonly string[] = [
  'movie',
  'movies',
  'film',
  'films',
  'flick',
  'trailer',
  'trailers',
  'teaser',
  'cinema',
  'cinemas',
  // "sentimental value at the cinematheque tonight": a repertory house (folded: cinémathèque).
  'cinematheque',
  'theater',
  'theaters',
  'theatre',
  'theatres',
  'imax',
  '70mm',
  '35mm',
  'dolby',
  '4dx',
  'screenx',
  'screening',
  'premiere',
  'sequel',
  'prequel',
  'remake',
  'reboot',
  'cast',
  'director',
  'directed',
  'screenplay',
  'cinematography',
  'soundtrack',
  'review',
  'reviews',
  'spoilers',
  'spoiler',
  'letterboxd',
  'oscar',
  'oscars',
  'nominated',
  'showtimes',
  'tickets',
  'boxoffice',
  'blockbuster',
  'horror',
  'thriller',
  'a24',
  'rewatch',
  'pelicula',
  'peliculas',
  'peli',
  'pelis',
  'cine',
  'estreno',
  'resena',
  'filme',
  'filmes',
  'estreia',
  'cinemas',
  'bande',
  'seance',
  'kino',
  'kinos',
  'fortsetzung',
  'filmkritik',
  'regie',
  'picture',
  'feature',
  'watchlist',
  'pixar',
  'marvel',
  'mcu',
  'ghibli',
  'ost',
  'scene',
  'scenes',
  'cameo',
  'cameos',
  'runtime',
  'stunts',
  'villain',
  'ending',
  'release',
  'released',
  'opens',
  'netflix',
  'hbo',
  'hulu',
  'bluray',
  'animation',
  'animated',
  'performance',
  'acting',
  'actor',
  'actress',
  'vfx',
  'cgi',
  'comedy',
  'spinoff',
  'franchise',
  'twist',
  'mubi',
  'shudder',
  'criterion',
  'plot',
  'pacing',
  'script',
  'finale',
  'costumes',
  'filmaco',
  'filmao',
  'peliculon',
  'intermission',
  // Film craft: "the final reckoning submarine sequence", "hugh grant's monologue".
  'sequence',
  'sequences',
  'monologue',
  'climax',
  'composer',
  'casting',
  'trilogy',
  'discourse',
  'slasher',
  'biopic',
  'romcom',
  // "the camerawork in sinners" (not "camera": "a black bag for the camera").
  'camerawork',
  // How a film tells it: "weapons' opening narration", "titanic 3d rerelease". Not "pov"
  // or "dialogue": "pov: you and your bestie together", "a dialogue between nations".
  // Film prizes and festivals: "it was just an accident won the palme d'or".
  'palme',
  'bafta',
  'baftas',
  'sundance',
  'berlinale',
  'tiff',
  'narration',
  'narrator',
  'voiceover',
  'rerelease',
  // German writes its film nouns as compounds: "der schönste animationsfilm".
  'animationsfilm',
  'horrorfilm',
  'lieblingsfilm',
  'actionfilm',
  'kinofilm',
  'zeichentrickfilm',
];

/**
 * Words that introduce a person after a title: "Together with Alison Brie", "Superman de
 * James Gunn". Followed by a capitalized name, they mark the title as a film.
 */
export const CREDIT_WORDS: readonly string[] = [
  'with',
  'by',
  'starring',
  'from',
  'de',
  'con',
  'com',
  'avec',
  'mit',
  'von',
  // "sinners di ryan coogler", "tubarão do spielberg": "by" in Italian and Portuguese.
  'di',
  'do',
];

/** Two-token signs: "box office", and Japanese ones (each kana/kanji is a token). */
export const FILM_BIGRAMS: readonly (readonly [string, string])[] = [
  ['box', 'office'],
  ['opening', 'weekend'],
  ['comes', 'out'],
  ['obra', 'maestra'],
  ['obra', 'prima'],
  ['chef', 'doeuvre'],
  ['came', 'out'],
  ['sound', 'design'],
  ['big', 'screen'],
  ['blu', 'ray'],
  ['sound', 'mix'],
  ['practical', 'effects'],
  ['visual', 'effects'],
  ['special', 'effects'],
  ['on', 'digital'],
  ['on', 'peacock'],
  ['on', 'max'],
  ['on', 'prime'],
  ['on', 'disney'],
  ['on', 'paramount'],
  ['on', 'vod'],
  ['second', 'act'],
  ['third', 'act'],
  ['first', 'act'],
  ['final', 'act'],
  ['in', 'theaters'],
  ['in', 'theatres'],
  // "the rom com that made her a star", "a double bill with 28 days later": genres and
  // programmes, as two words ("romcom" is a noun above).
  ['rom', 'com'],
  ['double', 'bill'],
  // "companion. go in blind", "WEAPONS. that's the tweet": a recommendation's sign-offs.
  ['in', 'blind'],
  ['the', 'tweet'],
  ['end', 'credits'],
  // "joker folie a deux musical numbers were... a choice".
  ['musical', 'numbers'],
  ['post', 'credits'],
  // "the substance at the drive-in", "costume design is insane"; a film on the air:
  // "jaws on tv tonight", "der pate läuft im fernsehen", "tiburón en la tele".
  ['drive', 'in'],
  ['costume', 'design'],
  ['production', 'design'],
  ['on', 'tv'],
  ['im', 'fernsehen'],
  ['la', 'tele'],
  ['na', 'tv'],
  ['映', '画'],
  ['劇', '場'],
  ['予', '告'],
  ['鑑', '賞'],
  ['上', '映'],
  ['観', 'た'],
  ['観', 'て'],
  ['観', 'に'],
  ['見', 'た'],
  ['続', '編'],
];

/** Nouns that, right after a title, say it is the film ("weapons movie", "flow trailer"). */
export const FILM_NOUNS_AFTER: readonly string[] = [
  'movie',
  'film',
  'flick',
  'trailer',
  'teaser',
  'review',
  'cast',
  'sequel',
  'soundtrack',
  'screening',
  'premiere',
  'spoilers',
  'director',
  'poster',
  'ending',
  'score',
  'ost',
  'showtimes',
  'tickets',
  'cameos',
  'stunts',
  'pelicula',
  'filme',
  // "the materialists discourse": posts argue about films (and shows) by this word.
  'discourse',
];

/** Articles and determiners allowed between a verb and a title ("watched the Flow"). */
export const ARTICLES: readonly string[] = ['the', 'a', 'la', 'el', 'le', 'o', 'os', 'das', 'den'];

/** Words that do not make a title distinctive ("The", "of"): ignored when judging ambiguity. */
export const STOPWORDS: readonly string[] = [
  'the',
  'a',
  'an',
  'of',
  'and',
  'in',
  'on',
  'to',
  'for',
  'at',
  'by',
  'with',
  'from',
  'part',
  // Articles and prepositions of the other catalog languages ("El padrino", "A Hora do Mal").
  'el',
  'la',
  'los',
  'las',
  'o',
  'os',
  'as',
  'le',
  'les',
  'der',
  'die',
  'das',
  'de',
  'do',
  'da',
  'des',
  'du',
  'un',
  'una',
  'um',
  'uma',
  'y',
  'e',
  'et',
  'und',
];

/** Month names: a number after one is a day of it, no sequel ("September 5"). */
export const MONTHS: readonly string[] =
  'january february march april may june july august september october november december'.split(
    ' ',
  );

/**
 * The calendar: months, weekdays and holidays are everyday words that writing
 * capitalizes, so SCOWL's lowercase cut leaves them out. A title that is one alone, or a
 * date, is everyday words ("Halloween", "September 5": "what are you going as for
 * halloween", "my birthday is september 5"); beside a word of its own it is part of a
 * name ("Freakier Friday").
 */
export const CALENDAR_WORDS: readonly string[] = [
  ...MONTHS,
  ...'monday tuesday wednesday thursday friday saturday sunday'.split(' '),
  ...'halloween christmas xmas easter thanksgiving hanukkah diwali ramadan'.split(' '),
];

/** Rarer everyday words than the SCOWL cut, plus terms common outside film talk. */
export const EXTRA_COMMON: readonly string[] = [
  'conclave',
  'brutalist',
  'f1',
  'superman',
  'wolverine',
  'mickey',
  'ballerina',
  'smurfs',
  'minecraft',
  'elio',
  'materialists',
  'thunderbolts',
  'avatar',
  'valor',
  // Everyday words of other languages that appear as localized titles.
  'intensamente',
  'rivales',
  'rivais',
  'pecadores',
  'guerra',
  'herege',
  'hereje',
  'konklave',
  'gladiador',
  'coringa',
  'tiburon',
  'tubarao',
  'parasitos',
  'parasita',
  'padrino',
  'parrain',
  'pate',
  'straume',
  'rejeitados',
  'vidas',
  'pasadas',
  'passadas',
  'pobres',
  'criaturas',
  'macaco',
  'mono',
  'robot',
  'salvaje',
  'sustancia',
  'substancia',
  'renacer',
  // Contractions as posts type them, without the apostrophe ("Honey Don't!" is two
  // everyday words: "honey dont touch my fries"), and "tv" ("I Saw the TV Glow").
  'dont',
  'doesnt',
  'didnt',
  'cant',
  'wont',
  'isnt',
  'wasnt',
  'arent',
  'im',
  'ive',
  'youre',
  'tv',
];

/**
 * Words before a colon that label what follows rather than start a title ("Review:
 * Weapons", "Tonight: Sinners"), so the colon rule does not fire on them.
 */
export const COLON_LABELS: readonly string[] = [
  'review',
  'reviews',
  'watched',
  'watching',
  'rewatch',
  'tonight',
  'today',
  'now',
  'thread',
  'ranking',
  'rankings',
  'thoughts',
  'verdict',
  'rating',
  'opinion',
  'take',
  'update',
  'breaking',
  'news',
  'spoilers',
  'movie',
  'movies',
  'film',
  'films',
  'trailer',
  'finally',
  'currently',
  'next',
  'recap',
  'psa',
  'reminder',
  'favorite',
  'favourite',
  'fav',
  'best',
  'worst',
  'pelicula',
  'filme',
  'kino',
  'critique',
  'resena',
  'top',
  'weekend',
  'friday',
  'saturday',
  'sunday',
  'me',
  'my',
  'also',
  'watchlist',
];

/**
 * Longer titles and phrases that contain a catalog title but mean something else. When
 * one of these is the longest match at a position it swallows the span and yields no
 * movie; a catalog entry with the same text wins over it.
 */
export const BLOCKERS: readonly string[] = [
  'Captain America: Civil War',
  'American Civil War',
  'The Civil War',
  'Civil War II',
  'English Civil War',
  'Spanish Civil War',
  'Syrian Civil War',
  'civil war era',
  'weapons of mass destruction',
  'nuclear weapons',
  'chemical weapons',
  'weapons ban',
  'better together',
  'go with the flow',
  'cash flow',
  'flow state',
  'papal conclave',
  'sand dune',
  'sand dunes',
  'Dune Messiah',
  'Dune: Prophecy',
  'Dune Prophecy',
  'Dune Part Three',
  'Alien: Covenant',
  'Alien Resurrection',
  'Alien: Earth',
  'Alien Earth',
  'Alien vs Predator',
  'Alien Isolation',
  'Superman Returns',
  'Superman II',
  'The Lion King',
  'Mad Max: Fury Road',
  'Fury Road',
  'Call Me by Your Name',
  'Logan',
  'Batman',
  'The Batman',
  'Superman & Lois',
  'Batman v Superman',
  'Superman: The Movie',
  'Nosferatu the Vampyre',
  'Robert Oppenheimer',
  'J. Robert Oppenheimer',
  'Barbie doll',
  'Barbie dolls',
  'Barbie Dreamhouse',
  'Avatar: The Last Airbender',
  'Avatar The Last Airbender',
  'Wicked Witch',
  'Wicked Little Letters',
  'wicked good',
  'Mission: Impossible – Fallout',
  'Mission Impossible Fallout',
  'Mission: Impossible – Ghost Protocol',
  'Mission: Impossible – Rogue Nation',
  'Top Gun Maverick',
  'Inside Out 3',
  'Joker: Folie à Deux',
  'Gladiator II',
  'Deadpool 2',
  'Smile 3',
  'F1 drivers',
  'F1 driver',
  'F1 race',
  'F1 season',
  'F1 team',
  'F1 car',
  'F1 grand prix',
  'F1 visa',
];

/**
 * Words that carry little meaning of their own (pronouns, particles, adverbs of place
 * and time): a title of everyday words is an everyday phrase when, without these, at
 * most two words are left ("Bring Her Back", "One Battle After Another", "Inside Out").
 */
export const LIGHT_WORDS: readonly string[] = [
  'her',
  'him',
  'his',
  'its',
  'my',
  'your',
  'our',
  'their',
  'me',
  'you',
  'we',
  'they',
  'it',
  'up',
  'down',
  'out',
  'off',
  'over',
  'back',
  'away',
  'after',
  'before',
  'another',
  'later',
  'once',
  'all',
  'now',
  'again',
  'just',
  'some',
  'every',
  'this',
  'that',
  'is',
  'be',
  // Pronouns: "Him", "Nobody", "Us" are titles of no everyday meaning of their own.
  'he',
  'she',
  'us',
  'them',
  'nobody',
  'somebody',
  'someone',
  'everyone',
  'everybody',
  'anyone',
  // Quantifiers and negations: "No Other Choice" and "Speak No Evil" say one or two
  // things, like any idiom ("i had no other choice but to order pizza").
  'no',
  'not',
  'other',
  'any',
  'each',
  'nothing',
  'something',
  'anything',
  'never',
  'dont',
  'doesnt',
  'didnt',
  'cant',
  'wont',
  'isnt',
  'wasnt',
  'arent',
  // Deictic time words, pronouns of time: "Yesterday" says nothing of its own
  // ("yesterday was exhausting"), like "Him" or "Nobody".
  'yesterday',
  'today',
  'tomorrow',
  'tonight',
  // The same in the other languages of the stream (folded: "nós" is "nos"): a one-word
  // localized title of a pronoun or an adverb ("Nós", "Nosotros", "Ela", "Oben") is said
  // in every other sentence ("nós vamos no cinema amanhã", "ich bin oben").
  ...(
    'yo tu nos nosotros nosotras vosotros ella ellas ellos eu ele ela eles elas voce voces ' +
    'nous vous il ils elle elles lui moi toi eux ich du er sie wir ihr uns euch ihn ' +
    'aqui alli ahi alla aca arriba abajo ahora hoy ayer manana nadie alguien nada todos ' +
    'aqui cima baixo agora hoje ontem amanha ninguem alguem nada todos ' +
    'ici haut bas maintenant aujourdhui hier demain personne rien tous ' +
    'hier dort oben unten jetzt heute gestern morgen niemand jemand nichts alle'
  ).split(' '),
];

/** Words that join two titles in a list: "Sinners and Weapons", "F1, then Rebirth". */
export const CONNECTORS: readonly string[] = [
  'versus',
  'and',
  'or',
  'then',
  'vs',
  'over',
  'before',
  'after',
  'than',
  'y',
  'e',
  'et',
  'und',
  'ou',
  'o',
];

/**
 * Words that say a name is a book, a stage show, a person, a pet or an event rather
 * than the film: near a title with no sign of film talk, they rule the film out
 * ("reading Frankenstein for class", "Hamnet the novel", "Oppenheimer the man").
 */
export const NOT_FILM_WORDS: readonly string[] = [
  'novel',
  'novels',
  // "weapons is a strong word", "together was the best word to describe us".
  'word',
  'words',
  'phrase',
  'book',
  'books',
  'read',
  'reading',
  'reread',
  'author',
  'wrote',
  'chapter',
  'broadway',
  'stage',
  'song',
  'album',
  'band',
  // A song on the air ("song sung blue came on the radio").
  'radio',
  'lyrics',
  'playlist',
  'physicist',
  'scientist',
  'born',
  'died',
  'character',
  'game',
  'episode',
  'season',
  'series',
  'show',
  'comic',
  'comics',
  'board',
  'doll',
  'dolls',
  'toy',
  'toys',
  'plush',
  'plushie',
  // "anora is my best friend's name": what a person or pet is called.
  'name',
  'nickname',
  // The same in the other languages of the stream (folded: "leí" is "lei").
  'libro',
  'libros',
  'novela',
  'lei',
  'leyendo',
  'leer',
  'livro',
  'livros',
  'lendo',
  'ler',
  'livre',
  'lire',
  'buch',
  'gelesen',
  'lesen',
  // A series or a cartoon: "los pitufos eran mi caricatura favorita".
  'serie',
  'caricatura',
  'caricaturas',
  'desenho',
  'zeichentrickserie',
];

/**
 * The NOT_FILM_WORDS that say a name is a book's or a person's, and little else: read as
 * far from a distinctive title as film words are (context.ts namesakeNear). "show",
 * "song", "season" and the like are not here: they are said of many things.
 */
export const NAMESAKE_WORDS: readonly string[] = (
  'novel novels book books author wrote read reading reread physicist scientist born died ' +
  'name nickname libro libros novela lei leyendo leer livro livros lendo ler livre lire buch gelesen lesen'
).split(' ');

/**
 * Family names that lead a name in Korean and Chinese usage ("burning by lee chang-dong";
 * "bong joon-ho" is among the first names): written first, like a first name, but after
 * an initial still the surname they are elsewhere ("robert e lee" is the general).
 */
export const LEADING_FAMILY_NAMES: readonly string[] = 'lee kim choi zhang wong'.split(' ');

/**
 * Common first names, lowercase: in a post that writes everything in lower case a name
 * is only known by its words, and "with josh brolin", "de ryan coogler", "ralph fiennes
 * in" mark the title next to it as the film. Names that are everyday words ("will",
 * "grace") are left out.
 */
export const FIRST_NAMES: readonly string[] = (
  'aaron adam adrien al alan albert alex alexander alfonso ali alice alicia alison amanda amy ana andrew andy ' +
  'angela angelina anna anne anthony anya ari ariana ashley austin barry ben benedict benicio bill billy ' +
  'bong bradley brad brendan brian brie bryan cailee carey carl carlos cate catherine charles charlie ' +
  'charlize chris christian christopher cillian colin colman cynthia dakota damien daniel danny dave david ' +
  'dean demi denis denzel diane donald dwayne ed eddie edward elizabeth elle emily emma eric ethan eva ' +
  'evan florence frances francis gael gary george glen gina greta guillermo harrison hayao heath hugh ' +
  'ian idris isabelle jack jacob jake james jamie jane jason javier jeff jenna jennifer jenny jeremy jesse ' +
  'jessica jessie jim jimmy joachim joaquin jodie joe joel john johnny jon jonah jonathan jordan jorge jose ' +
  'josh joshua jude julia julianne julie justin kate katherine keanu keira kevin kieran kirsten kristen ' +
  'kumail lakeith laura leonardo leo liam lily lin linda lindsay lisa lucas luca lupita maggie mahershala ' +
  'margaret margot maria martin mary matt matthew meryl mia michael michelle mikey mike miles millie ' +
  'naomi natalie nicolas nicole noah nora olivia owen patrick paul pedro penelope peter phoebe ' +
  'quentin rachel rami ralph rebecca richard ridley rob robert robin ruth ryan ryusuke sam samuel sandra ' +
  'sarah saoirse scarlett sean sebastian sergio seth shia sofia sophie stanley steve steven sydney taika ' +
  'thomas tilda tim timothee tobey todd tom tony viola walton wes willem yorgos zach zack zendaya zoe ' +
  // Bare credits ("bring her back sally hawkins", "a complete unknown bob dylan") need
  // the first names posts actually write, everyday words or not: a name counts only
  // with a second name-like word after it.
  'bob celine sally henry pierce helen tessa russell timothy stellan fernanda andrea kathryn ' +
  'jeffrey janelle nathan regina rosamund aubrey monica sigourney winona renate ayo ' +
  'ludwig jenna natasha simon hailee jared keke daisy glenn rooney ' +
  'isabella theo alden amanda austin billie brie cailey chloe chloé connor danielle ' +
  'denzel dev dominic elisabeth emilia ewan felicity gemma greg hannah harry jaden ' +
  'jamie jared jeremy jessica jude julian juliette karen kathy kenneth kristen kyle lana ' +
  'lea léa lupita marion mark marlon mckenna melissa morgan nathalie neil nicholas olivia ' +
  'omar pamela pascal penélope rebecca riz rosario ruby sacha sadie samara sara ' +
  'scott selena shailene sienna sterling susan talia taron teyana thandiwe tilda vanessa ' +
  'viggo vincent walter whoopi xavier yahya zoë ' +
  // The commonest first names besides (census lists), so that a cast outside the shipped
  // catalog is read too ("cuckoo hunter schafer", "it ends with us blake lively"). Not
  // the ones that are everyday words too ("grace", "chase", "grant", "don").
  'william joseph ronald stephen larry brandon benjamin gregory raymond dennis jerry tyler ' +
  'douglas zachary keith gerald harold arthur lawrence dylan bruce gabriel logan willie juan ' +
  'wayne elijah roy eugene philip louis patricia barbara nancy betty kimberly donna dorothy ' +
  'deborah stephanie sharon kathleen shirley brenda samantha christine debra carolyn janet ' +
  'joyce virginia victoria kelly lauren christina joan evelyn judith megan cheryl jacqueline ' +
  'martha gloria teresa ann madison janice jean abigail judy sophia denise doris marilyn ' +
  'beverly theresa diana brittany charlotte marie kayla alexis lori blake cole riley avery ' +
  'parker quinn reese harper sloane awkwafina dan ron max finn luke conor declan rhys lashana ' +
  'taraji octavia yara kiki zoey gwyneth kerry paapa hunter spike ' +
  // Given names of the other languages of the stream and of history, and the nicknames
  // posts use, so that a film called by one ("Jackie", "Akira") is read as a name first.
  'akira hiroshi takeshi kenji yuki haruki makoto satoshi yoko keiko naoki ryo hideo yasujiro ' +
  'amelie pierre jacques marcel leon camille margaux etienne francois agnes claude ' +
  'wolfgang hans klaus jurgen dieter helmut werner fritz ingmar ' +
  'alejandro diego pablo miguel carmen lucia joao ' +
  'jackie frankie tommy bobby benny abraham elvis'
)
  .split(' ')
  .concat(LEADING_FAMILY_NAMES);

/** Verdict words after "X is/was": "thunderbolts was fun", "Dune was so good". */
export const REVIEW_WORDS: readonly string[] = (
  'good great fun amazing incredible awesome mid overrated underrated perfect masterpiece ' +
  'brilliant excellent beautiful gorgeous stunning boring terrible fantastic wonderful ' +
  'hilarious terrifying phenomenal peak flawless unwatchable disappointing forgettable ' +
  'weird wild unhinged insane bleak haunting devastating heartbreaking tense gripping ' +
  'funny scary creepy cute gross dumb sad cozy robbed cinema genius ' +
  'bueno buena genial increible brillante hermosa perfecta aterradora obra ' +
  'incrivel otimo otima maravilhoso maravilhosa perfeito lindo assustador ' +
  'gut toll grossartig wunderbar genial excellent magnifique sublime chef ' +
  // More verdicts, superlatives that are verdicts, and the other languages of the stream.
  'masterful masterclass beautiful lovely sweet charming adorable delightful stupid silly ' +
  'chaotic deranged unhinged exhausting messy mess bad awful meh solid fine okay decent ' +
  'worth intense brutal bonkers nuts bananas fire goated cinematic earnest ' +
  'scariest funniest prettiest weirdest saddest greatest wildest masterpiece banger blast ' +
  'gruesome grotesque disgusting hilarious sublime breathtaking overlong underwhelming ' +
  'gory upsetting disturbing stylish moving touching powerful pretentious slow smart ' +
  'clever sexy epic iconic legendary trash garbage rewatchable cathartic poignant tender ' +
  'harrowing riveting thrilling suspenseful atmospheric claustrophobic campy cheesy corny ' +
  'bloated dull predictable derivative twisty emotional wholesome heartwarming nightmarish ' +
  'surreal trippy absurd ridiculous tedious uneven immaculate transcendent visceral ' +
  'relentless gross horrifying stressful funnier best worst entertaining enjoyable ' +
  // "sinners was perfection" (not "everything": "flow is everything in surfing").
  'perfection ' +
  'buenisima buenisimo increible brutal locura preciosa precioso aburrida aburrido ' +
  'divertida divertido terrible horrible malisima pesima joya ' +
  'incrivel lindo linda otimo chato chata nojento nojenta divertido genial perfeito ' +
  'incroyable magnifique terrifiant bouleversant genial nul sublime superbe drole ' +
  'gruselig spannend wahnsinn unglaublich schon langweilig grandios stark ' +
  'pazzesco bellissimo bellissima capolavoro fantastico noioso stupendo ' +
  'lustig witzig traurig schrecklich klasse mega furchtbar'
).split(' ');

/** Words allowed between "was" and a verdict word: "was so good", "is the best". */
export const SOFTENERS: readonly string[] = (
  'so really very actually genuinely honestly surprisingly absolutely pretty kinda lowkey ' +
  'that too such a an just incredibly insanely still literally easily even way much not ' +
  'muy tan una un muito uma um sehr so ein eine si tres un une le la ' +
  'richtig echt total wirklich vraiment trop molto davvero bem super ' +
  // "was a lot darker than part one", "was a bit much".
  'lot bit little'
).split(' ');

/** Verbs that, right after a title and before "me", tell what the film did: "X made me cry". */
export const REVIEW_VERBS: readonly string[] =
  'made had left broke destroyed wrecked ruined scared gave'.split(' ');

/**
 * Verbs that, right after a title at the start of a clause, make it the subject of a
 * verdict or of news about a film: "the substance has no business being that funny",
 * "interstellar makes me cry", "the godfather holds up", "companion had the best twist".
 * A bare everyday noun rarely starts an English sentence ("weapons has", "companion had"
 * need a determiner unless they are a name), so the verb after it is evidence. Verbs of
 * physical action ("sank", "dropped", "came") are left out: those are said of things.
 */
export const PREDICATE_VERBS: readonly string[] =
  // "has/had" ask for a verdict after them ("the substance has no business being that
  // funny", not "poor things had no food"). Verbs a film does to its viewer ("broke",
  // "made", "left") count with "me" after them (actsOnMe), not alone: "civil war broke out".
  (
    'has had kept keeps holds held looks looked feels felt deserved deserves lived lives slaps ' +
    'slapped rocks rules ruled sucks sucked delivers delivered nailed nails earns earned ' +
    'flopped flops bombed bombs premieres premiered aged ages hits ' +
    // "the way weapons uses its chapters" (not "used": "weapons used in the attack").
    'uses ' +
    // Spanish, Portuguese, French, German, Italian ("has": tiene, tem, hat, ha).
    'tiene tuvo merece merecia tem teve merece hat hatte ha'
  ).split(' ');

/** Adverbs allowed between a title and its verb: "the matrix still looks amazing". */
export const PREDICATE_ADVERBS: readonly string[] = (
  'still really honestly actually just also somehow truly lowkey kinda totally absolutely ' +
  'genuinely literally always never already finally completely'
).split(' ');

/**
 * Words that may come before a title at the start of a clause without making it an
 * object: "ok weapons lived up to the hype", "honestly sinners is", "i think conclave is".
 */
export const CLAUSE_LEADS: readonly string[] = (
  'ok okay honestly ngl so and but omg lol lmao yeah yes no imo tbh also think thought guess ' +
  'because cause cuz bc why how wow damn finally well like anyway anyways hot take ' +
  'que dass parce creo acho finde glaube penso'
).split(' ');

/**
 * Words after "is/was" that make the verdict a comparison with another title: "the black
 * phone is better than black phone 2", "thunderbolts was better than captain america".
 */
export const COMPARATIVES: readonly string[] = (
  'better worse more less than way much far beat beats topped outgrossed ' +
  'mejor peor melhor pior meilleur pire besser ' +
  'schlechter'
).split(' ');

/**
 * Person and pet words that rule a namesake in only right next to it ("Oppenheimer the
 * man", "my cat conclave"): further away they are as likely to belong to another title
 * ("Wake Up Dead Man, then Predator: Badlands").
 */
export const NOT_FILM_ADJACENT: readonly string[] =
  // "a musical" is said of films too ("Joker 2 is a musical"); "the musical" is the show.
  (
    'man woman guy son daughter baby dog cat pet puppy kitten name named called musical ' +
    // Naming in the other languages: "mi gato se llama mufasa".
    'llama chama appelle heisst'
  ).split(' ');

/**
 * States and countries: after a title's words, with or without a comma ("eddington
 * maine", "landed in casablanca, morocco"), they make them a town.
 */
export const REGIONS: readonly string[] = (
  'maine ohio texas florida california oregon vermont kansas iowa utah nevada montana idaho alaska georgia ' +
  'virginia carolina michigan wisconsin minnesota illinois indiana kentucky tennessee alabama arizona colorado ' +
  'england scotland wales yorkshire ' +
  'nebraska morocco italy italia spain espana portugal france germany japan mexico brazil brasil canada ' +
  'egypt greece turkey india china argentina chile peru colombia ireland poland austria belgium'
).split(' ');

/**
 * Nouns that, right after a title's words, make them a sport or a place, whatever else
 * the post says ("f1 qualifying", "saltburn beach", "shelby oaks road", "eddington
 * maine"): the title's words name the thing the noun belongs to. Not "drive": after a plural title it is a verb
 * ("weapons drive the plot"), and "drive-in" is a cinema.
 */
export const PLACE_OR_SPORT_AFTER: readonly string[] = (
  'qualifying quali race races racing drivers driver grid podium paddock championship standings laps lap pole gp ' +
  'beach pier bay harbor harbour coast seafront street st road rd avenue ave station county township ' +
  'village borough'
)
  .split(' ')
  .concat(REGIONS);

/** Words right before a title that make it a place: "grew up near saltburn". */
export const PLACE_BEFORE: readonly string[] = 'near nearby outside'.split(' ');
/** Going or living somewhere, then "to" or "in": "moved to shelby oaks", "flying to nuremberg". */
export const PLACE_LEADS: readonly (readonly [string, string])[] = [
  [
    'to',
    'moved move moving flying flew fly trip travel traveling travelling drove driving headed heading relocated',
  ],
  ['in', 'live lives living lived up raised stuck landed arrived staying stayed vacationing based'],
];

/** Verbs that sequels put after the first film's title ("The Dark Knight Rises"). */
export const SEQUEL_VERBS: readonly string[] =
  'rises returns begins reloaded revolutions resurrections reborn awakens strikes'.split(' ');

/** What a team does to a score: "as roma won 2-0", "casablanca beat rabat 3-1". */
export const RESULT_VERBS: readonly string[] = (
  'won lost beat beats drew tied wins loses venceu perdeu empatou gano perdio empato gewinnt ' +
  'verliert gagne perd'
).split(' ');
