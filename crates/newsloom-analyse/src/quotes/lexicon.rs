//! Word lists for attribution: cue verbs, the words that may sit between a speaker and its
//! cue, time words, pronouns and titles. Lists, not a parser, so matching stays linear.

/// How a cue verb behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CueKind {
    /// Speech verbs (`said`, `told`): attribute whatever follows or precedes.
    Strong,
    /// Verbs that report speech only with `that` or a quotation (`believes`, `called`, `found`).
    Weak,
}

#[rustfmt::skip]
const STRONG: &[&str] = &[
    "said", "says", "say", "saying", "told", "tells", "tell", "telling", "added", "adds", "adding", "noted",
    "notes", "noting", "wrote", "writes", "writing", "explained", "explains", "explaining", "argued",
    "argues", "arguing", "claimed", "claims", "claiming", "insisted", "insists", "insisting", "warned",
    "warns", "warning", "stressed", "stresses", "stressing", "emphasized", "emphasizes", "emphasizing",
    "emphasised", "emphasises", "stated", "asserted", "asserts", "contended", "contends", "maintained",
    "maintains", "recalled", "recalls", "replied", "replies", "responded", "responds", "asked", "asks",
    "asking", "continued", "continues", "concluded", "concludes", "declared", "declares", "announced",
    "announces", "acknowledged", "acknowledges", "admitted", "admits", "conceded", "concedes", "tweeted",
    "tweets", "remarked", "commented", "complained", "complains", "complaining", "predicted", "predicts",
    "promised", "promises", "pledged", "pledges", "vowed", "vows", "confirmed", "confirms", "reported",
    "reports", "suggested", "suggests", "suggesting", "observed", "urged", "urges", "urging", "quipped",
    "joked", "boasted", "bragged", "lamented", "cautioned", "countered", "retorted", "reiterated",
    "acknowledging", "insisting", "alleged", "alleges", "wondered", "testified", "mused", "conceding",
    "declaring", "promising", "pledging", "vowing", "warning", "predicting", "explaining",
];

#[rustfmt::skip]
const WEAK: &[&str] = &[
    "believes", "believed", "believe", "thinks", "thought", "think", "found", "finds", "shows", "showed",
    "show", "hopes", "hoped", "fears", "feared", "knows", "knew", "know", "called", "calls", "calling",
    "cited", "citing", "cites", "criticized", "criticised", "blasted", "described", "describes", "denied",
    "denies", "questioned", "mentioned", "mentions", "indicated", "indicates", "agreed", "agrees", "revealed",
    "reveals", "estimated", "estimates", "expects", "expected", "worried", "feels", "felt", "insist",
    "acknowledge", "argue", "claim", "warn", "admit", "suggest", "note", "charged", "charges", "demanded",
    "demands", "accused", "accuses", "praised", "praises", "predicted", "recognized", "signaled", "signalled",
    "declined", "conclude", "concluded", "determined", "contend", "assured", "assures", "stresses",
];

/// More speech verbs.
#[rustfmt::skip]
const STRONG_MORE: &[&str] = &[
    "reads", "yells", "yelled", "shouted", "shouts", "screamed", "chanted", "whispered", "sang", "sings",
    "explains", "recounted", "recounts", "answered", "answers", "replying", "responding", "announcing",
    "stating", "observes", "wrote", "writes", "posted", "tweets", "texted", "emailed",
];

/// More verbs of stance and intention (PolNeAR attributes beliefs and plans too).
#[rustfmt::skip]
const WEAK_MORE: &[&str] = &[
    "wants", "plans", "proposed", "proposes", "attacked", "condemned", "condemns", "blamed", "blames",
    "supports", "opposes", "opposed", "recommends", "recommended", "endorsed", "endorses", "rejected",
    "rejects", "welcomed", "applauded", "challenged", "highlighted", "reiterated",
    "hinted", "implied", "questions", "promise", "pledge", "vow", "expect", "hope", "fear", "worry",
    "worries", "doubt", "doubts", "doubted", "acknowledges", "unveiled", "outlined", "encouraging",
    "compared", "urge", "dismissed", "mocked", "slammed", "touted", "defended", "pointed", "wants", "likened",
    "branded", "dubbed", "labeled", "referred", "urging", "calling", "arguing", "claiming", "saying",
    "telling", "warning", "demanding", "promising", "suggesting", "insisting", "blaming", "accusing",
    "criticizing", "describing", "touting",
];

/// Verbs of stance, plan, cognition and disclosure in all their inflected forms
/// (`supports`, `supported`, `supporting`): attribution corpora count reported beliefs, plans
/// and documents as attributions.
#[rustfmt::skip]
const WEAK_FORMS: &[&str] = &[
    "support", "supports", "supported", "supporting", "want", "wanted", "wanting", "plan", "planned",
    "planning", "discuss", "discusses", "discussed", "discussing", "decide", "decides", "decided",
    "rule", "ruled", "question", "questioning", "release", "releases", "released",
    "respond", "refuse", "refuses", "refused", "refusing", "express", "expresses", "expressed",
    "expressing", "explain", "voted", "votes", "learn", "learns", "learned", "learnt", "publish",
    "publishes", "published", "defend", "defends", "defending", "back", "backs", "backed", "backing",
    "offer", "offers", "offered", "offering", "issue", "issued", "promote", "promotes",
    "promoted", "promoting", "understand", "understands", "understood", "echo", "echoes", "echoed",
    "echoing", "see", "sees", "saw", "consider", "considers", "considered", "considering", "admire",
    "admires", "admired", "dispute", "disputes", "disputed", "disputing", "disclose", "discloses",
    "disclosed", "detail", "detailed", "details", "detailing", "endorse", "endorsing", "reject",
    "rejecting", "reveal", "revealing", "assume", "assumes",
    "assumed", "recognize", "recognizes", "recognise", "recognised", "recognizing", "realize",
    "realizes", "realized", "realised", "imagine", "imagines", "imagined", "predict", "urge",
    "demand", "demanding", "insist", "concede", "admitted", "admit", "deny", "denying", "dismiss",
    "dismisses", "dismissing", "criticize", "criticizes", "criticizing", "criticise", "attack",
    "attacks", "attacking", "blast", "blasts", "blasting", "slam", "slams", "slamming", "praise",
    "praising", "accuse", "accusing", "blame", "blaming", "condemn", "condemning", "welcome",
    "welcomes", "welcoming", "propose", "proposing", "recommend", "recommending", "oppose", "opposing",
    "favor", "favors", "favored", "favoring", "favour", "favours", "favoured",
    "hope", "hoping", "fear", "fearing", "worry", "worrying", "doubt", "doubting", "suspect",
    "suspects", "suspected", "trust", "trusts", "trusted", "estimate", "estimating", "expect",
    "expecting", "intend", "intends", "intended", "aim", "aims", "aimed", "vow", "pledge", "promise",
    "threaten", "threatens", "threatened", "threatening", "agree", "agreeing", "disagree",
    "disagrees", "disagreed", "confirm", "confirming", "deny", "announce", "signal", "signals",
    "signaling", "signalling", "indicate", "indicating", "show", "showing", "shown",
    "conclude", "concluding", "document", "documents", "documented", "describe",
    "describing", "portray", "portrays", "portrayed", "portraying", "characterize", "characterized",
    "characterizes", "mention", "mentioning", "acknowledge", "acknowledging", "recall", "remember",
    "remembers", "remembered", "feel", "feels", "feeling", "believing", "thinking", "knowing",
    "complain", "argue", "challenge", "challenges", "challenging", "ask", "asked", "demand", "call",
    "cite", "highlight", "highlights", "highlighting", "emphasize", "stress", "touted", "tout", "touts",
    "boast", "boasts", "boasting", "brag", "brags", "bragging", "predicted", "projected", "projects",
    "projecting", "forecast", "forecasts", "reckon", "reckons", "reckoned", "contend", "maintain",
    "assert", "allege", "alleging", "charge", "charging", "pointed", "pointing",
    "lay", "laid", "outline", "outlines", "outlining",
    "unveil", "unveils", "unveiling", "vowed",
];

/// Further speech verbs, all forms.
#[rustfmt::skip]
const STRONG_FORMS: &[&str] = &[
    "advise", "advised", "advises", "advising", "affirm", "affirmed", "affirming", "affirms", "asserting",
    "briefed", "briefing", "caution", "cautioning", "cautions", "confess", "confessed", "confesses",
    "confessing", "counsel", "counseled", "counseling", "counsels", "inform", "informed", "informing",
    "informs", "interject", "interjected", "interjecting", "interjects", "muse", "muses", "musing", "opine",
    "opined", "opines", "opining", "plead", "pleaded", "pleading", "pleads", "proclaim", "proclaimed",
    "proclaiming", "proclaims", "quip", "quipping", "quips", "reaffirm", "reaffirmed", "reaffirming",
    "reaffirms", "reasoned", "reasoning", "reassure", "reassured", "reassures", "reassuring", "rebut",
    "rebuts", "rebutted", "rebutting", "repeat", "repeated", "repeating", "repeats", "retort", "retorting",
    "retorts", "scoff", "scoffed", "scoffing", "scoffs", "snapped", "snapping", "speak", "speaking",
    "speaks", "speculate", "speculated", "speculates", "speculating", "spoke", "talked", "talking", "talks",
    "testifies", "testify", "testifying",
];

/// Further verbs of stance and evaluation, all forms.
#[rustfmt::skip]
const WEAK_FORMS_MORE: &[&str] = &[
    "apologize", "apologized", "apologizes", "apologizing", "appealed", "appealing", "applaud",
    "applauding", "applauds", "beg", "begged", "begging", "begs", "branding", "bristle", "bristled",
    "bristles", "bristling", "chastise", "chastised", "chastises", "chastising", "cheered", "cheering",
    "compare", "compares", "comparing", "congratulate", "congratulated", "congratulates", "congratulating",
    "contest", "contested", "contesting", "credited", "crediting", "decried", "decries", "decry",
    "decrying", "deem", "deemed", "deeming", "deems", "deride", "derided", "derides", "deriding",
    "despised", "despises", "despising", "distrust", "distrusted", "distrusting", "distrusts", "downplay",
    "downplayed", "downplaying", "downplays", "dub", "dubbing", "dubs", "encourage", "encouraged",
    "encourages", "envision", "envisioned", "envisioning", "envisions", "exaggerate", "exaggerated",
    "exaggerates", "exaggerating", "fault", "faulted", "faulting", "faults", "floated", "floating", "grill",
    "grilled", "grilling", "grills", "hail", "hailed", "hailing", "hails", "implore", "implored",
    "implores", "imploring", "judge", "judged", "judging", "label", "labeling", "labels", "lambaste",
    "lambasted", "lambastes", "lambasting", "lament", "lamenting", "laments", "laud", "lauded", "lauding",
    "lauds", "liken", "likening", "likens", "mock", "mocking", "mocks", "objected", "objecting",
    "overstate", "overstated", "overstates", "overstating", "pitched", "pitching", "prefer", "preferred",
    "preferring", "prefers", "press", "pressed", "presses", "pressing", "protest", "protested",
    "protesting", "protests", "rail", "railed", "railing", "rails", "reference", "referenced", "references",
    "referencing", "refute", "refuted", "refutes", "refuting", "regret", "regrets", "regretted",
    "regretting", "ridicule", "ridiculed", "ridicules", "ridiculing", "scold", "scolded", "scolding",
    "scolds", "seconded", "seconding", "termed", "terming", "thank", "thanked", "thanking", "thanks",
    "underscore", "underscored", "underscores", "underscoring", "understate", "understated", "understates",
    "understating", "weigh", "weighed", "weighing", "weighs", "wish", "wished", "wishes", "wishing",
];

/// FNV-1a: cue lookups hash short words, where SipHash's set-up dominates.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// All cue words, built once (a hash lookup instead of scanning the lists per token).
static CUES: std::sync::LazyLock<FnvMap<&'static str, CueKind>> = std::sync::LazyLock::new(|| {
    let weak =
        WEAK.iter().chain(WEAK_MORE).chain(WEAK_FORMS).chain(WEAK_FORMS_MORE).map(|w| (*w, CueKind::Weak));
    // Strong entries go last so they win over a weak duplicate.
    weak.chain(STRONG.iter().chain(STRONG_MORE).chain(STRONG_FORMS).map(|w| (*w, CueKind::Strong))).collect()
});

/// First-two-letter pairs of the cue words (and `according`), so most tokens are rejected
/// without hashing: bit `b` of `PREFIX[a]` is set when some cue starts with letters `a`, `b`.
static PREFIX: std::sync::LazyLock<[u32; 26]> = std::sync::LazyLock::new(|| {
    let mut p = [0u32; 26];
    for w in CUES.keys().copied().chain(["according"]) {
        let b = w.as_bytes();
        if b.len() >= 2 && b[0].is_ascii_lowercase() && b[1].is_ascii_lowercase() {
            p[(b[0] - b'a') as usize] |= 1 << (b[1] - b'a');
        }
    }
    p
});

/// Cheap pre-check for [`cue_kind`] on a token as written (any case).
pub(crate) fn may_be_cue(token: &str) -> bool {
    let b = token.as_bytes();
    if b.len() < 2 {
        return false;
    }
    let (x, y) = (b[0].to_ascii_lowercase(), b[1].to_ascii_lowercase());
    x.is_ascii_lowercase() && y.is_ascii_lowercase() && PREFIX[(x - b'a') as usize] & (1 << (y - b'a')) != 0
}

pub(crate) fn cue_kind(lower: &str) -> Option<CueKind> {
    CUES.get(lower).copied()
}

/// Nouns that report speech or stance before a `that` clause (`the claim that …`); `Some(true)`
/// when they also take an infinitive (`his pledge to …`).
pub(crate) fn nominal_cue(lower: &str) -> Option<bool> {
    match lower {
        "plan" | "plans" | "pledge" | "pledges" | "promise" | "promises" | "decision" | "agreement"
        | "call" | "calls" | "demand" | "demands" | "proposal" | "vow" | "refusal" | "offer" | "bid" => {
            Some(true)
        }
        "claim" | "claims" | "message" | "report" | "reports" | "warning" | "warnings" | "criticism"
        | "fear" | "fears" | "statement" | "hope" | "hopes" | "concern" | "concerns" | "view" | "views"
        | "belief" | "conclusion" | "assertion" | "argument" | "allegation" | "allegations"
        | "accusation" | "charge" | "charges" | "suggestion" | "insistence" | "assurance" | "assurances"
        | "notion" | "idea" | "finding" | "findings" | "announcement" | "admission" | "prediction"
        | "predictions" | "impression" | "suspicion" | "suspicions" | "rumors" | "speculation" | "denial"
        | "complaint" | "complaints" | "comments" | "remarks" | "estimate" | "estimates" => Some(false),
        _ => None,
    }
}

/// Cues whose object is the addressee or medium (`told Interfax`, `asked reporters`).
pub(crate) fn takes_addressee(lower: &str) -> bool {
    matches!(lower, "told" | "tells" | "tell" | "telling" | "asked" | "asks" | "urged" | "urges" | "assured")
}

/// Words allowed between a speaker and its cue (`Kelin has also said`).
pub(crate) fn is_aux_adverb(lower: &str) -> bool {
    matches!(
        lower,
        "has"
            | "have"
            | "had"
            | "also"
            | "later"
            | "previously"
            | "repeatedly"
            | "once"
            | "then"
            | "recently"
            | "again"
            | "further"
            | "reportedly"
            | "publicly"
            | "privately"
            | "is"
            | "was"
            | "were"
            | "are"
            | "would"
            | "will"
            | "could"
            | "can"
            | "may"
            | "might"
            | "did"
            | "does"
            | "do"
            | "not"
            | "never"
            | "often"
            | "already"
            | "just"
            | "still"
            | "even"
            | "long"
            | "frequently"
            | "earlier"
            | "first"
            | "initially"
            | "subsequently"
            | "ultimately"
            | "too"
            | "immediately"
            | "quickly"
            | "flatly"
            | "simply"
            | "openly"
            | "been"
            | "be"
            | "always"
            | "now"
            | "separately"
            | "last"
            | "only"
            | "both"
            | "all"
            | "each"
            | "however"
            | "however,"
            | "consistently"
            | "explicitly"
    ) || is_negated_aux(lower)
        || (lower.len() > 4
            && lower.ends_with("ly")
            && !matches!(lower, "italy" | "family" | "ally" | "rally"))
}

/// `isn’t`, `didn't`, `won’t`: a negated auxiliary between a speaker and its cue.
pub(crate) fn is_negated_aux(lower: &str) -> bool {
    let stem = lower.strip_suffix("n’t").or_else(|| lower.strip_suffix("n't"));
    matches!(
        stem,
        Some(
            "is" | "was"
                | "are"
                | "were"
                | "does"
                | "did"
                | "do"
                | "has"
                | "have"
                | "had"
                | "wo"
                | "ca"
                | "could"
                | "would"
                | "should"
        )
    )
}

/// Words that end a speaker phrase when walking left from the cue.
pub(crate) fn is_np_stop(lower: &str) -> bool {
    matches!(
        lower,
        "that"
            | "which"
            | "and"
            | "but"
            | "or"
            | "because"
            | "as"
            | "if"
            | "when"
            | "while"
            | "after"
            | "before"
            | "since"
            | "so"
            | "although"
            | "though"
            | "where"
            | "whether"
            | "than"
            | "for"
            | "to"
            | "in"
            | "on"
            | "at"
            | "by"
            | "with"
            | "from"
            | "into"
            | "about"
            | "against"
            | "over"
            | "under"
            | "what"
            | "how"
            | "why"
            | "then"
            | "there"
            | "here"
            | "not"
            | "no"
            | "yes"
            | "also"
            | "has"
            | "have"
            | "had"
            | "is"
            | "was"
            | "were"
            | "are"
            | "be"
            | "been"
            | "being"
            | "said"
            | "says"
            | "told"
            | "will"
            | "would"
            | "can"
            | "could"
            | "should"
            | "may"
            | "might"
            | "must"
            | "do"
            | "does"
            | "did"
            | "once"
            | "unless"
            | "until"
            | "during"
            | "without"
            | "instead"
            | "per"
            | "via"
            | "like"
            | "even"
            | "just"
            | "only"
            | "yet"
            | "nor"
            | "whom"
            | "whose"
            | "these"
            | "those"
            | "this"
            | "it's"
            | "it’s"
    )
}

/// Determiners and possessive pronouns: a word after one is a noun (`the plan`).
pub(crate) fn is_determiner(lower: &str) -> bool {
    matches!(
        lower,
        "the"
            | "a"
            | "an"
            | "this"
            | "these"
            | "those"
            | "his"
            | "her"
            | "its"
            | "their"
            | "our"
            | "my"
            | "your"
            | "no"
            | "any"
            | "every"
            | "each"
            | "another"
            | "such"
    )
}

/// Modals and `to`, after which a bare form is a verb (`will support`, `to discuss`).
pub(crate) fn is_modal(lower: &str) -> bool {
    matches!(
        lower,
        "to" | "will"
            | "would"
            | "can"
            | "could"
            | "should"
            | "may"
            | "might"
            | "must"
            | "do"
            | "does"
            | "did"
            | "shall"
            | "’ll"
            | "'ll"
            | "’d"
            | "'d"
    )
}

pub(crate) fn is_pronoun(lower: &str) -> bool {
    matches!(lower, "he" | "she" | "i" | "we" | "they" | "it" | "you" | "who" | "one")
}

/// Personal pronouns that refer back to a person (resolved to the last named speaker).
pub(crate) fn is_person_pronoun(lower: &str) -> bool {
    matches!(lower, "he" | "she" | "i")
}

pub(crate) fn is_weekday(lower: &str) -> bool {
    matches!(lower, "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday")
}

pub(crate) fn is_time_word(lower: &str) -> bool {
    matches!(
        lower,
        "today"
            | "yesterday"
            | "tonight"
            | "earlier"
            | "later"
            | "recently"
            | "last"
            | "this"
            | "week"
            | "month"
            | "year"
            | "night"
            | "morning"
            | "afternoon"
            | "evening"
            | "then"
            | "afterward"
            | "afterwards"
            | "again"
            | "previously"
            | "repeatedly"
            | "here"
            | "there"
            | "also"
            | "separately"
            | "once"
            | "late"
            | "early"
            | "privately"
            | "publicly"
            | "bluntly"
    ) || is_weekday(lower)
}

/// Capitalised words that are titles or roles rather than parts of a person's name.
pub(crate) fn is_title(lower: &str) -> bool {
    matches!(
        lower,
        "mr."
            | "mrs."
            | "ms."
            | "dr."
            | "sen."
            | "rep."
            | "gov."
            | "gen."
            | "lt."
            | "col."
            | "sgt."
            | "prof."
            | "rev."
            | "capt."
            | "maj."
            | "adm."
            | "president"
            | "vice"
            | "minister"
            | "ministry"
            | "secretary"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "senator"
            | "governor"
            | "general"
            | "chairman"
            | "chairwoman"
            | "chancellor"
            | "prime"
            | "foreign"
            | "defense"
            | "defence"
            | "deputy"
            | "director"
            | "ambassador"
            | "representative"
            | "congressman"
            | "congresswoman"
            | "speaker"
            | "leader"
            | "chief"
            | "king"
            | "queen"
            | "prince"
            | "pope"
            | "mayor"
            | "judge"
            | "justice"
            | "attorney"
            | "candidate"
            | "nominee"
            | "head"
            | "commander"
            | "officer"
            | "adviser"
            | "advisor"
            | "aide"
            | "manager"
            | "kremlin"
            | "white"
            | "house"
            | "state"
            | "department"
            | "democratic"
            | "republican"
            | "gop"
            | "former"
            | "presidential"
            | "press"
            | "campaign"
            | "chair"
            | "ceo"
            | "founder"
            | "executive"
            | "sheriff"
            | "professor"
            | "economist"
            | "analyst"
            | "lawyer"
            | "spokesmen"
            | "interior"
            | "finance"
            | "economy"
            | "top"
            | "senior"
            | "u.s."
            | "russian"
            | "american"
            | "french"
            | "german"
            | "british"
            | "chinese"
            | "ukrainian"
            | "nato"
            | "un"
            | "eu"
            | "majority"
            | "minority"
            | "whip"
            | "chaplain"
            | "lieutenant"
            | "colonel"
            | "major"
            | "admiral"
            | "sergeant"
            | "captain"
            | "sir"
            | "dame"
            | "lord"
    )
}

/// Lowercase nouns that can head a speaker phrase (`the ministry`, `officials`, `a senior aide`).
pub(crate) fn is_speaker_noun(lower: &str) -> bool {
    // As `trim_end_matches("’s").trim_end_matches("'s")`, without building a string searcher
    // per call (this runs for every word near a cue).
    let mut l = lower;
    while let Some(x) = l.strip_suffix("’s") {
        l = x;
    }
    while let Some(x) = l.strip_suffix("'s") {
        l = x;
    }
    matches!(
        l,
        "ministry"
            | "official"
            | "officials"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "aide"
            | "aides"
            | "source"
            | "sources"
            | "campaign"
            | "report"
            | "statement"
            | "analysts"
            | "analyst"
            | "experts"
            | "expert"
            | "people"
            | "critics"
            | "police"
            | "government"
            | "administration"
            | "department"
            | "agency"
            | "office"
            | "committee"
            | "group"
            | "company"
            | "spokesmen"
            | "lawmakers"
            | "lawmaker"
            | "senator"
            | "president"
            | "minister"
            | "leader"
            | "leaders"
            | "organizers"
            | "advocates"
            | "supporters"
            | "voters"
            | "residents"
            | "witnesses"
            | "observers"
            | "diplomats"
            | "diplomat"
            | "researchers"
            | "study"
            | "ruling"
            | "lawsuit"
            | "complaint"
            | "indictment"
            | "analysis"
            | "audit"
            | "filing"
            | "survey"
            | "poll"
            | "polls"
            | "data"
            | "documents"
            | "letter"
            | "memo"
            | "ad"
            | "video"
            | "clip"
            | "narrator"
            | "prosecutors"
            | "investigators"
            | "lawyers"
            | "attorney"
            | "attorneys"
            | "lawyer"
            | "secretary"
            | "chairman"
            | "director"
            | "adviser"
            | "advisers"
            | "advisor"
            | "military"
            | "army"
            | "army’s"
            | "council"
            | "court"
            | "judge"
            | "board"
            | "union"
            | "party"
            | "team"
            | "staff"
            | "staffers"
            | "representative"
            | "representatives"
            | "observatory"
            | "embassy"
            | "alliance"
            | "bloc"
            | "kremlin"
            | "commission"
            | "mayor"
            | "governor"
            | "candidate"
            | "nominee"
            | "democrats"
            | "republicans"
            | "economists"
            | "scientists"
            | "activists"
            | "protesters"
            | "woman"
            | "man"
            | "officer"
            | "officers"
            | "commander"
            | "member"
            | "members"
            | "chief"
            | "head"
            | "paper"
            | "newspaper"
            | "post"
            | "times"
            | "article"
            | "network"
            | "channel"
            | "agencies"
            | "insiders"
            | "employees"
            | "workers"
            | "families"
            | "others"
            | "someone"
            | "everyone"
            | "colleagues"
            | "friends"
    )
}

/// Addressees that name a medium (`told reporters`, `told Interfax`).
pub(crate) fn is_medium_noun(lower: &str) -> bool {
    matches!(
        lower,
        "reporters"
            | "journalists"
            | "media"
            | "press"
            | "newspaper"
            | "interviewer"
            | "audience"
            | "crowd"
            | "supporters"
            | "radio"
            | "television"
            | "tv"
            | "twitter"
            | "facebook"
            | "instagram"
            | "podcast"
    )
}
