"""Presentation shared by the pages: the privacy note, badges, marked sentences, the contract picker.

No analysis happens here; the pages call `analyzer` and this module only draws.
"""

from __future__ import annotations

import html
from pathlib import Path

import streamlit as st

import analyzer
from analyzer.highlight import Mark, pieces
from analyzer.nlp.pipeline import load_pipeline
from analyzer.report.view import STATUSES, VERDICTS

SAMPLES = Path(analyzer.__file__).parent / "samples"
CONTRACT_TYPES = ["pdf", "docx", "txt", "md"]
NO_SAMPLE = "(none)"
DEFAULT_SAMPLE = "sample-purchase-agreement.pdf"
STATUS_COLORS = {"obligated": "green", "customer": "blue", "optional": "orange", "excluded": "red",
                 "absent": "gray"}
VERDICT_COLORS = {"met": "green", "gap": "red", "needs_evidence": "orange", "not_applicable": "gray"}
VERDICT_ICONS = {"met": ":material/check_circle:", "gap": ":material/cancel:",
                 "needs_evidence": ":material/help:", "not_applicable": ":material/remove_circle_outline:"}
PRIVACY = ("Everything runs on this machine: nothing is sent anywhere. Uploads are read in memory (an "
           "evaluation corpus in a temporary folder removed after the run), and nothing is kept on disk unless "
           "you download a file.")


@st.cache_resource(show_spinner="Loading the language pipeline and the classifier…")
def models():
    """The spaCy pipeline and the shipped classifier, loaded once per server and shared by every session
    (the same cached objects the analysis uses, so no session loads them again)."""
    from analyzer.classify.model import shipped_model

    return load_pipeline(), shipped_model()


def privacy_note() -> None:
    st.caption(f":material/lock: {PRIVACY}")


def samples() -> list[str]:
    """The bundled sample contracts, the default (a PDF, so its pages show) first."""
    names = sorted(p.name for p in SAMPLES.glob("sample-*") if p.suffix.lower() in {f".{t}" for t in CONTRACT_TYPES})
    return sorted(names, key=lambda n: n != DEFAULT_SAMPLE)


def sample_bytes(name: str) -> bytes:
    return (SAMPLES / Path(name).name).read_bytes()


def status_badge(status: str, confidence: float | None = None) -> None:
    label = STATUSES.get(status, status)
    if confidence is not None:
        label += f" · {confidence:.0%}"
    st.badge(label, color=STATUS_COLORS.get(status, "gray"))


def sentence_case(text: str) -> str:
    """First letter up, the rest as written ("Schedule B" stays, unlike str.capitalize)."""
    return text[:1].upper() + text[1:]


def verdict_label(verdict: str) -> str:
    return f"{VERDICT_ICONS.get(verdict, '')} {VERDICTS.get(verdict, verdict)}".strip()


def marked_sentence(text: str, marks: list[Mark]) -> None:
    """The evidence sentence with its service terms and cue words marked (escaped: contracts are data)."""
    out = []
    for part, mark in pieces(text, marks):
        safe = html.escape(part)
        if mark is None:
            out.append(safe)
        elif mark.kind == "service":
            out.append(f'<mark class="service" title="service: {mark.label}" '
                       f'style="background:#ffe08a;font-weight:600">{safe}</mark>')
        else:
            out.append(f'<mark class="cue" title="cue: {mark.label}" '
                       f'style="background:#d7e9ff">{safe}</mark>')
    body = "".join(out).replace("\n", " ")
    st.markdown(f'<div class="evidence" style="line-height:1.6">{body}</div>', unsafe_allow_html=True)


def legend() -> None:
    st.markdown('<span style="background:#ffe08a;font-weight:600">service term</span> &nbsp; '
                '<span style="background:#d7e9ff">cue word (duty, party, negation, condition)</span>',
                unsafe_allow_html=True)
