"""The words "who should watch" is written with: themes and the tags in each, the phrase each
tag makes, tags read from synopses, and the credit roles that name a creator's profile."""

from __future__ import annotations

import re

THEMES: dict[str, tuple[str, ...]] = {
    "emotional storytelling": ("drama", "tragedy", "soap"),
    "romance": ("romance", "love polygon", "love status quo", "reverse harem", "harem"),
    "love stories between girls or between boys": (
        "girls love", "boys love", "shoujo ai", "shounen ai", "yuri", "yaoi",
    ),
    "mind-bending mysteries": (
        "mystery", "psychological", "suspense", "thriller", "dementia", "avant garde",
    ),
    "crime and detective stories": ("crime", "organized crime", "police", "detective", "law"),
    "dark and horror": ("horror", "gore", "zombies", "vampire", "demons", "survival"),
    "big action and battles": (
        "action", "martial arts", "super power", "action & adventure", "samurai",
    ),
    "fantasy worlds and adventure": (
        "fantasy", "adventure", "magic", "mythology", "isekai", "reincarnation",
        "urban fantasy", "sci-fi & fantasy", "villainess", "supernatural",
    ),
    "science fiction": ("sci-fi", "science fiction", "space", "time travel"),
    "giant robots": ("mecha",),
    "war, history and politics": (
        "military", "war", "war & politics", "political", "historical", "history",
    ),
    "gentle slice of life": ("slice of life", "iyashikei", "cgdct"),
    "food and cooking": ("gourmet", "food", "cooking"),
    "family and everyday warmth": ("family", "childcare", "pets"),
    "school life and growing up": ("school", "youth", "friendship", "delinquents"),
    "comedy": ("comedy", "gag humor", "parody"),
    "sports": ("sports", "sport", "team sports", "racing", "cars", "combat sports"),
    "music and performance": (
        "music", "idols (female)", "idols (male)", "performing arts", "showbiz", "musical",
    ),
    "games and high-stakes strategy": ("game", "strategy game", "high stakes game", "video game"),
    "magical girls": ("mahou shoujo", "mahou shounen"),
    "grown-up working life": ("adult cast", "workplace", "medical"),
    "art, creators and otaku culture": ("visual arts", "otaku culture", "anime influenced"),
}  # fmt: skip
IGNORED = frozenset(
    "shounen seinen shoujo josei kids short award winning tv movie doujinshi adult erotica "
    "mature educational documentary biography ecchi".split(" ")
) | {"award winning", "tv movie"}
THEME_OF = {tag: theme for theme, tags in THEMES.items() for tag in tags}

# What a tag says about the story: a noun phrase, or a detail ("with …") added to one.
TAG_PHRASES: dict[str, str] = {
    "drama": "character-driven drama", "tragedy": "heartbreaking tragedy",
    "soap": "with soap-opera twists",
    "romance": "a love story", "love polygon": "with a love triangle",
    "love status quo": "with a slow-burn will-they-won't-they",
    "reverse harem": "with a heroine and a crowd of suitors",
    "harem": "with a hero and a crowd of admirers",
    "girls love": "a love story between girls", "shoujo ai": "a love story between girls",
    "yuri": "a love story between girls", "boys love": "a love story between boys",
    "shounen ai": "a love story between boys", "yaoi": "a love story between boys",
    "mystery": "mind-bending mystery", "psychological": "psychological suspense",
    "suspense": "nail-biting tension", "thriller": "a tense thriller",
    "dementia": "with surreal, dreamlike turns", "avant garde": "with an avant-garde style",
    "crime": "crime drama", "organized crime": "gangland crime", "police": "police work",
    "detective": "a detective on the case", "law": "courtroom battles",
    "horror": "real horror", "gore": "with no shortage of gore", "zombies": "a zombie outbreak",
    "vampire": "vampires", "demons": "demons", "survival": "a fight to survive",
    "action": "hard-hitting action", "martial arts": "martial-arts fights",
    "super power": "superpowered battles", "action & adventure": "action-packed adventure",
    "samurai": "samurai swordplay",
    "fantasy": "a fantasy world", "adventure": "a grand adventure", "magic": "spellcraft",
    "mythology": "ancient myths", "isekai": "with a hero thrown into another world",
    "reincarnation": "with a second life after death",
    "urban fantasy": "magic hidden in the modern city",
    "sci-fi & fantasy": "genre-blending sci-fi fantasy",
    "villainess": "with a villainess rewriting her fate", "supernatural": "the supernatural",
    "sci-fi": "big-idea science fiction", "science fiction": "big-idea science fiction",
    "space": "adventure among the stars", "time travel": "with time travel",
    "mecha": "giant robots and the pilots inside them",
    "military": "military tactics", "war": "the cost of war",
    "war & politics": "wartime politics",
    "political": "political intrigue", "historical": "a story set in the past",
    "history": "a story set in the past",
    "slice of life": "everyday slice of life", "iyashikei": "a soothing, healing pace",
    "cgdct": "cute girls doing cute things",
    "gourmet": "mouth-watering food", "food": "mouth-watering food",
    "cooking": "mouth-watering food",
    "family": "family bonds", "childcare": "raising a child", "pets": "life with pets",
    "school": "school days", "youth": "growing up", "friendship": "friendship",
    "delinquents": "school delinquents",
    "comedy": "laugh-out-loud comedy", "gag humor": "rapid-fire gags",
    "parody": "parody that skewers its genre",
    "sports": "the thrill of competition", "sport": "the thrill of competition",
    "team sports": "team spirit", "racing": "high-speed racing", "cars": "high-speed racing",
    "combat sports": "fights in the ring",
    "music": "a love of music", "idols (female)": "idol groups", "idols (male)": "idol groups",
    "performing arts": "life on the stage", "showbiz": "showbiz ambition",
    "musical": "musical numbers",
    "game": "games played for keeps", "strategy game": "battles of wits",
    "high stakes game": "high-stakes gambles", "video game": "video-game worlds",
    "mahou shoujo": "transforming magical girls", "mahou shounen": "magical boys",
    "adult cast": "a grown-up cast", "workplace": "working life", "medical": "life in medicine",
    "visual arts": "making art", "otaku culture": "otaku culture",
    "anime influenced": "an anime-inspired style",
    "anthropomorphic": "a cast of talking animals", "crossdressing": "with cross-dressing",
    "gender bender": "with a gender swap", "magical sex shift": "with a gender swap",
    "western": "a Western of gunslingers and frontier towns",
}  # fmt: skip
# A tag's phrase when the anime also has another tag (the first that matches wins).
CONTEXT_PHRASES: dict[str, tuple[tuple[str, str], ...]] = {
    "drama": (
        ("iyashikei", "quiet, character-driven drama"),
        ("slice of life", "quiet, character-driven drama"),
    ),
    "romance": (
        ("comedy", "romantic comedy"),
        ("love polygon", "romance"),
        ("love status quo", "romance"),
    ),
    "mystery": (("supernatural", "supernatural mystery"),),
}
THEME_NOUN = {  # a theme's noun when the anime's tags in it give only details
    "emotional storytelling": "drama",
    "romance": "romance",
    "mind-bending mysteries": "a puzzling story",
    "dark and horror": "dark fantasy",
    "fantasy worlds and adventure": "fantasy",
    "science fiction": "science fiction",
}
# Synopsis words → the tag they stand for (whole words, lower case).
SYNOPSIS_TAGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b(?:{words})\b"), tag)
    for words, tag in (
        ("detectives?|investigat\\w*", "detective"),
        ("murders?|murdered|killers?", "crime"),
        ("yakuza|mafia|gangs?", "organized crime"),
        ("robots?|mecha|mobile suits?", "mecha"),
        ("spaceships?|starships?|galax(?:y|ies)|space station", "space"),
        ("time travel\\w*|time machine", "time travel"),
        ("falls? in love|fell in love|girlfriend|boyfriend", "romance"),
        ("zombies?", "zombies"),
        ("vampires?", "vampire"),
        ("demons?", "demons"),
        ("samurai", "samurai"),
        ("idols?", "idols (female)"),
        ("chefs?|restaurant|cooking|cuisine", "gourmet"),
        ("baseball|basketball|volleyball|soccer|football|tennis|swimming|rugby", "team sports"),
        ("another world|transported to|summoned to", "isekai"),
        ("reincarnated|reincarnation", "reincarnation"),
        ("soldiers?|army|battlefield", "military"),
        ("high school|classmates?", "school"),
        ("band|guitar|piano|orchestra", "music"),
    )
)
# Staff roles that make a person the anime's creator (lower case) and how a profile says it.
CREATOR_ROLES: dict[str, str] = {
    "original creator": "From an original story by {name}",
    "original story": "From an original story by {name}",
    "original work": "From an original story by {name}",
    "creator": "From an original story by {name}",
    "author": "From an original story by {name}",
    "director": "Directed by {name}",
    "chief director": "Directed by {name}",
    "series director": "Directed by {name}",
}
