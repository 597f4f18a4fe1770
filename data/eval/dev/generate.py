"""Writes generated.ndjson: templated posts with known labels (seeded, reproducible).

Complements the hand-written hard-cases and multilingual files with volume: each
movie in a few realistic shapes (title case, lowercase, hashtag, all caps) and
everyday sentences that use the ambiguous words without meaning a film.
Run: python3 data/eval/dev/generate.py
"""
import json, random, pathlib

rng = random.Random(20250301)
here = pathlib.Path(__file__).parent
cat = json.loads((here.parent.parent / "catalog.json").read_text())["movies"]
by_title = {m["title"]: m for m in cat}

POS = [
    "just got out of {t} and I can't stop thinking about it",
    "{t} was so good, easily top 3 this year",
    "finally watched {t}. the ending!!!",
    "{t} in IMAX tomorrow, who's coming",
    "hot take: {t} is overrated",
    "the {t} trailer gave me chills",
    "anyone else think {t} had the best soundtrack of the year?",
    "rewatched {t} and it's even better the second time",
    "{t} review: a gorgeous, messy, unforgettable film",
    "my mom loved {t} more than I did lmao",
    "{t} box office numbers are wild",
    "saw {t} last night, the cast is stacked",
]
POS_LOWER = [
    "just watched {l} and wow",
    "{l} movie was so good",
    "ok {l} trailer goes hard",
    "saw {l} tonight, no thoughts just vibes",
]
POS_TAG = [
    "opening night!! #{h}",
    "that final scene 😭 #{h} #movies",
    "#{h} deserved better",
]
# Distinctive titles: these also count in plain lowercase without film words.
DISTINCT = ["Oppenheimer", "Barbie", "Longlegs", "Anora", "Deadpool & Wolverine", "Inside Out 2",
            "Dune: Part Two", "Alien: Romulus", "Nosferatu", "Saltburn", "Interstellar",
            "Beetlejuice Beetlejuice", "Kung Fu Panda 4", "Mickey 17", "Gladiator II",
            "Jurassic World Rebirth", "Zootopia 2", "Moana 2", "Lilo & Stitch", "Thunderbolts*",
            "Marty Supreme", "Hamnet", "Bugonia", "Eddington", "KPop Demon Hunters",
            "Final Destination Bloodlines", "Godzilla Minus One", "Blade Runner 2049"]
PLAIN = [
    "{l} lives in my head rent free",
    "can't stop thinking about {l}",
    "{l} is that good, go",
]
AMBIG = ["Weapons", "Together", "Sinners", "Companion", "Flow", "Civil War", "Wicked", "Heretic",
         "Conclave", "Challengers", "Twisters", "Materialists", "Ballerina", "Frankenstein"]
NEG = [
    "weapons were seized at the border this morning",
    "the new bill on weapons exports passed the senate",
    "we cooked dinner together and it was chaos",
    "together we can fix this neighborhood, volunteer saturday",
    "so happy we're finally together again after two years",
    "sinners and saints alike showed up to the potluck",
    "the flow of traffic on the bridge is terrible",
    "my period flow is ridiculous this month sorry",
    "the civil war reenactment at the park was loud",
    "that storm was wicked, power still out",
    "my cat is my only companion on these cold nights",
    "the companion app keeps crashing on my phone",
    "the cardinals gather in conclave next week",
    "twisters touched down in three counties last night, stay safe",
    "challengers to the mayor lined up early for the debate",
    "we're such materialists, we bought another couch",
    "she's been a ballerina since she was five",
    "frankenstein's monster was the real victim of that book",
    "he's a heretic for liking cold pizza",
    "the civil war in sudan has displaced millions",
    "that was a wicked cool skate trick",
    "go with the flow and enjoy the weekend",
    "the dune buggy rental was worth it",
    "the alien invasion of my garden continues (it's snails)",
    "the substance abuse program got more funding",
    "my heart is inside out after that news",
    "smile more, it's free",
    "inside out quesadilla hack is changing my life",
    "f1 qualifying was a mess in the rain",
    "joker is my favorite card in the deck",
    "superman complex is real in middle managers",
    "that ring has sentimental value, please help me find it",
    "poor things, the ducks were freezing at the pond",
    "what a companion animal my old dog was",
    "the matrix multiplication homework took hours",
    "jaws dropped when the score was announced",
    "parasite load in the river samples was high",
    "our avatar for the team chat needs an update",
    "brutalist architecture tour in london this weekend",
    "chemical weapons inspectors arrived in the capital",
    "we went together to the concert and lost our voices",
    "dune grass is protected here, stay on the path",
    "the wicked stepmother trope needs to retire",
    "conclave smoke watch, day two",
    "together apart, still the best pandemic phrase",
    "heretic, they yelled, as I ordered pineapple pizza",
    "the flow chart for onboarding is a maze",
    "challengers in the primary have raised record money",
    "morning coffee and a quiet flow of emails",
    "weapons grade plutonium is not a cooking ingredient, apparently",
]

def short_alias(m):
    return m["title"]

rows = []
k = 0
def add(text, ids, category=None):
    global k
    k += 1
    if category is None:
        category = "multi" if len(ids) > 1 else "everyday-neg" if not ids else "single"
    rows.append({"id": f"g{k:03d}", "category": category, "text": text, "movie_ids": sorted(set(ids))})

newest = {}
for m in cat:
    if m["title"] not in newest or m["year"] > newest[m["title"]]["year"]:
        newest[m["title"]] = m
cat = [m for m in cat if newest[m["title"]] is m]  # an older namesake needs its year
for m in cat:
    t = m["title"]
    add(rng.choice(POS).format(t=t), [m["id"]])
    if t in DISTINCT:
        add(rng.choice(POS_LOWER + PLAIN).format(l=t.lower()), [m["id"]])
    elif t in AMBIG:
        add(rng.choice(POS_LOWER).format(l=t.lower()), [m["id"]], "everyday-pos")
    if m.get("hashtags"):
        add(rng.choice(POS_TAG).format(h=m["hashtags"][0]), [m["id"]])
# Two movies in one post.
pairs = [(a, b) for a in cat for b in cat if a["id"] < b["id"]]
for a, b in rng.sample(pairs, 40):
    add(f"double feature today: {a['title']} then {b['title']}", [a["id"], b["id"]])
for text in NEG:
    add(text, [])
# Shouting posts.
for t in ["Oppenheimer", "Sinners", "Weapons", "Wicked"]:
    m = by_title[t]
    add(f"{t.upper()} IN IMAX WAS INSANE", [m["id"]])
add("WE ARE ALL SINNERS IN THIS HOUSE", [])
add("TOGETHER FOREVER BESTIES", [])
(here / "generated.ndjson").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
print(len(rows))
