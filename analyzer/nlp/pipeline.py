"""Build the contract pipeline from `config.cfg` and the JSONL patterns, once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
import srsly
from spacy.language import Language

from analyzer.nlp import components  # noqa: F401  (registers the factories)

HERE = Path(__file__).parent
SERVICE_PATTERNS = HERE / "patterns" / "services.jsonl"
SERVICES = ("installation", "repair", "maintenance", "upgrade", "training")
NOT_SERVICE = "not_service"  # longer matches that veto a term: "maintenance manual", "maintain insurance"


def read_service_patterns(path: Path = SERVICE_PATTERNS) -> list[dict]:
    """Service-term patterns, checked so a typo in the data fails at load with its line number."""
    patterns = []
    for n, entry in enumerate(srsly.read_jsonl(path), start=1):
        if entry.get("label") not in (*SERVICES, NOT_SERVICE):
            raise ValueError(f"{path}: line {n}: label must be one of {', '.join(SERVICES)} or {NOT_SERVICE}")
        if not isinstance(entry.get("pattern"), list | str):
            raise ValueError(f"{path}: line {n}: 'pattern' must be a token list or a phrase")
        patterns.append(entry)
    return patterns


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    config = spacy.util.load_config(HERE / "config.cfg")
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    nlp.get_pipe("service_ruler").add_patterns(read_service_patterns())
    return nlp
