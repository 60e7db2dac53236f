"""The fact reader's sentence prefilter must never hide a sentence a cue matches."""

import re
from pathlib import Path

import pytest

from analyzer.api import analyze
from analyzer.requirements.facts import DealReader
from analyzer.requirements.prefilter import SentenceFilter, required_words

CORPUS = Path(__file__).parent.parent / "corpus" / "contracts"


@pytest.mark.parametrize("pattern, words", [
    (r"\b(?:technicians|service\s+personnel)\b", {"technicians", "personnel"}),
    (r"(?:US|Canada)\s+origin\b", {"origin"}),
    (r"\brenew(?:al|ed)?\b|\bextend", {"renew", "extend"}),
    (r"(?:warranty)?\s*\d+\s+days", {"days"}),
    (r"\b(?:is|are)\s+bound", {"bound"}),
])
def test_required_words_are_what_every_match_must_contain(pattern, words):
    assert required_words(re.compile(pattern, re.IGNORECASE)) == words


@pytest.mark.parametrize("pattern", [r"\d+\s+(?:months|years)?", r"(?:is|are)\s+\w+", r"(?:foo|)bar?"])
def test_a_pattern_without_a_required_word_is_tried_on_every_text(pattern):
    texts = ["one", "two", "three"]
    assert required_words(re.compile(pattern)) is None
    assert SentenceFilter(texts).candidates(re.compile(pattern)) == [0, 1, 2]


def _cue_patterns(reader: DealReader) -> list[re.Pattern]:
    found = [v for v in vars(reader).values() if isinstance(v, re.Pattern)]
    found += [v for v in vars(reader.cues).values() if isinstance(v, re.Pattern)]
    found += list(reader.term_phrases.values()) + reader.pay_patterns + [rx for _, rx in reader.triggers]
    return found


def test_every_sentence_a_cue_matches_is_a_candidate():
    texts = [
        "THE SELLER'S TECHNICIANS SHALL RENEW THE WARRANTY.",  # upper case
        "The Seller's technicianſ and the ıncorporated schedules.",  # letters IGNORECASE folds
        "İnstallation by the Supplier's engineers, made in Germany.",  # "İ".lower() is two characters
        "Made in Italy; country of origin: Italy.",
        "",
    ]
    contracts = sorted(CORPUS.glob("*.txt"))[:6]
    assert contracts
    for path in contracts:
        reader = DealReader(analyze(path, use_model=False, requirements=False))
        sentences = [s.full for s in reader.sentences] + texts
        gate = SentenceFilter(sentences)
        for rx in _cue_patterns(reader):
            matched = [i for i, s in enumerate(sentences) if rx.search(s)]
            candidates = set(gate.candidates(rx))
            assert set(matched) <= candidates, (path.name, rx.pattern[:80])
