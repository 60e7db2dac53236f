"""Evidence marks: the words of a sentence the reviewer sees marked, and the sentence found on its PDF page."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from analyzer.highlight import find_words, marks_of, page_views, pieces, sentence_marks
from tests.builders import H, pdf_pages

LINE_TOP = 80  # tests.builders.pdf_pages draws line i with its baseline at LINE_TOP + 14 * i from the top
LEADING = 14


def baseline(i: int) -> float:
    return LINE_TOP + LEADING * i


def test_sentence_marks_the_service_term_and_the_duty():
    text = "7.1 The Seller shall install the Equipment at the Buyer's plant."
    marks = sentence_marks(text)
    by_text = {text[m.start:m.end]: m for m in marks}
    assert by_text["install"].kind == "service" and by_text["install"].label == "installation"
    assert by_text["shall"].kind == "cue" and by_text["shall"].label == "duty"
    assert by_text["Seller"].label == "supplier"
    assert all(a.end <= b.start for a, b in zip(marks, marks[1:], strict=False))


def test_pieces_give_back_the_sentence_exactly():
    text = "Buyer shall, at its own cost, maintain the Equipment; Seller has no obligation to repair it."
    marks = sentence_marks(text)
    parts = pieces(text, marks)
    assert "".join(p for p, _ in parts) == text
    assert [m.label for _, m in parts if m and m.kind == "service"] == ["maintenance", "repair"]


def test_a_sentence_without_a_service_has_no_marks():
    assert sentence_marks("This Agreement is governed by the laws of Ontario.") == []


def test_marks_of_many_sentences_equal_the_marks_of_each():
    texts = ["Lessor shall maintain the press.", "The Buyer may request training.", "Lessor shall maintain the press."]
    batch = marks_of(texts)
    assert list(batch) == texts[:2]
    assert all(batch[t] == sentence_marks(t) for t in texts)


def test_find_words_across_line_breaks_and_a_joined_hyphenation():
    page = ("1. Definitions\r\n2.1 Seller shall supervise the instal-\r\nlation of the Equipment by\r\n"
            "Buyer's contractors within twenty days.\r\n2.2 Buyer shall pay the Price.")
    sentence = "2.1 Seller shall supervise the installation of the Equipment by Buyer's contractors within twenty days."
    start, end = find_words(page, sentence)
    assert page[start:end].startswith("2.1 Seller") and page[start:end].endswith("twenty days")


def test_find_words_ignores_common_words_elsewhere_on_the_page():
    page = "The Seller shall deliver the goods. " + "Filler text. " * 30 + "The Buyer shall install the Equipment."
    start, end = find_words(page, "The Buyer shall install the Equipment.")
    assert page[start:end] == "The Buyer shall install the Equipment"


def test_find_words_says_none_when_the_sentence_is_not_there():
    page = "Article 4. Payment is due within thirty days of the invoice."
    assert find_words(page, "Seller shall provide training to the operators of the Buyer.") is None
    assert find_words("", "anything") is None


def test_a_sentence_running_on_to_the_next_page_is_found_by_its_opening_words():
    page = "Clause 8 text. 9.1 During the Warranty Period the Supplier shall"
    sentence = ("9.1 During the Warranty Period the Supplier shall repair or replace any defective part at its own "
                "cost and send its technicians to the site within five working days of a notice.")
    start, end = find_words(page, sentence)
    assert page[start:end] == "9.1 During the Warranty Period the Supplier shall"


def test_page_views_mark_the_right_line_of_the_right_page():
    lines = ["1. The Buyer shall pay the Price within thirty days.",
             "2. The Seller shall repair any defective part during the warranty.",
             "3. This Agreement is governed by the laws of Ontario."]
    data = pdf_pages([["Cover page of the agreement."], lines])
    target = lines[1][3:]
    views = page_views(data, {2: [target, "Seller shall provide training to all operators."]})
    assert list(views) == [2]
    view = views[2]
    boxes = view.boxes[target]
    assert boxes
    for b in boxes:  # within line 2 of the page, not lines 1 or 3
        assert baseline(0) < b.bottom <= baseline(1) + 4 and b.top > baseline(0)
    assert view.boxes["Seller shall provide training to all operators."] == ()

    plain = Image.open(io.BytesIO(view.png))
    assert plain.height == round(H * view.scale)
    marked = np.asarray(Image.open(io.BytesIO(view.marked(target))).convert("RGB")).astype(int)
    x = int((boxes[0].x0 + 20) * view.scale)
    y_mark = int(boxes[0].top * view.scale)
    r, g, b = marked[y_mark, x]
    assert b < r - 40 and b < g - 40  # a yellow wash over the sentence
    other = marked[int((baseline(2) - 6) * view.scale):int(baseline(2) * view.scale), x:x + 200]
    assert other.min() < 100 and (other[..., 0] == other[..., 2]).all()  # line 3 has text, left grey
    assert view.marked("not on this page") == view.png


def test_page_views_skip_pages_the_pdf_does_not_have():
    data = pdf_pages([["The Seller shall install the Equipment."]])
    assert list(page_views(data, {1: ["The Seller shall install the Equipment."], 5: ["x"]})) == [1]
