"""Review page: the files of one deal (or a bundled sample) in; the contract facts, each service's status
with its evidence marked in the sentence and on the page, the requirement checklists for Canada and
the US, and the report files out."""

from pathlib import Path

import streamlit as st

from analyzer import BadInputError
from analyzer.report.build import dumps
from analyzer.report.docx import render_docx
from analyzer.report.html import render_html
from analyzer.report.markdown import render_markdown
from analyzer.report.view import JURISDICTIONS, STATUSES, build_view
from analyzer.session import evidence, review
from app_pages import ui

st.title("Review a contract")
ui.privacy_note()

with st.expander("Contract", expanded="review" not in st.session_state, icon=":material/upload_file:"), \
        st.form("review-input", clear_on_submit=True, border=False):
    uploads = st.file_uploader("Contract files of one deal: the contract, its schedules, the warranty (PDF, DOCX "
                               "or TXT)", type=ui.CONTRACT_TYPES, accept_multiple_files=True)
    options = [ui.NO_SAMPLE, *ui.samples()]
    sample = st.selectbox("Bundled sample (used when no file is uploaded)", options, index=min(1, len(options) - 1))
    use_model = st.toggle("Use the trained classifier (off: the rules decide alone)", value=True)
    submitted = st.form_submit_button("Analyse", type="primary", icon=":material/play_arrow:")

if submitted:
    files = [(u.name, u.getvalue()) for u in uploads or []]
    if not files and sample != ui.NO_SAMPLE:
        files = [(sample, ui.sample_bytes(sample))]
    if not files:
        st.warning("Choose a contract file or a bundled sample first.")
    else:
        st.session_state.pop("review", None)
        st.session_state.pop("trip_report", None)
        with st.status(f"Analysing {len(files)} file(s)…", expanded=True) as status:
            try:
                result = review(files, use_model=use_model, step=status.write)
            except BadInputError as exc:
                status.update(label="The file cannot be analysed", state="error")
                st.error(str(exc), icon=":material/error:")
            else:
                st.session_state["review"] = result
                status.update(label=f"Analysed {', '.join(result.names)}", state="complete", expanded=False)
        files = uploads = None  # the form clears the upload box; keep no reference to the bytes either

rv = st.session_state.get("review")
if rv is None:
    st.info("Upload the contract files of one deal, or keep the bundled sample, and press **Analyse**.")
    st.stop()

report = rv.report
view = build_view(report)

st.header(", ".join(rv.names))
facts = st.columns(3)
facts[0].metric("Contract kind", view.kind)
facts[1].metric("Commercial use", view.commercial_use)
facts[2].metric("Files", len(view.files), help="\n".join(view.files))
st.dataframe([{"party": p["name"], "role": p.get("role"), "side": p["side"], "country": p.get("country")}
              for p in view.parties], hide_index=True)
for warning in view.warnings:
    st.warning(warning, icon=":material/warning:")

st.subheader("Services")
columns = st.columns(len(view.services))
for col, s in zip(columns, view.services, strict=True):
    with col:
        st.markdown(f"**{s['name'].capitalize()}**")
        ui.status_badge(s["status"], s["confidence"])
services, on_page = st.columns([5, 4], gap="large")
with services:
    st.markdown("**Evidence**")
    ui.legend()
    for s in view.services:
        title = f"{s['name'].capitalize()}: {s['label']} (confidence {s['confidence']:.0%})"
        with st.expander(title, expanded=s["status"] != "absent"):
            if not s["evidence"]:
                st.caption("No sentence in the contract gives this service a status.")
            for ev in s["evidence"]:
                st.caption(f"{ui.sentence_case(view.where(ev))} · {STATUSES.get(ev['status'], ev['status'])} "
                           f"· score {ev['score']:.2f}")
                ui.marked_sentence(ev["text"], rv.marks.get(ev["text"], []))

shown = [(service, ev) for service, ev in evidence(report) if rv.page(ev) is not None]
with on_page:
    st.markdown("**Evidence on the page**")
    if not shown:
        st.caption("Page images are shown for PDF files.")
    else:
        pick = st.selectbox(
            "Evidence", range(len(shown)),
            format_func=lambda i: (f"{shown[i][0]}: {view.where(shown[i][1])} ({shown[i][1]['status']}): "
                                   f"{shown[i][1]['text'][:60]}…"))
        ev = shown[pick][1]
        page = rv.page(ev)
        found = bool(page.boxes.get(ev["text"]))
        st.image(page.marked(ev["text"]), caption=f"Page {ev['page']}" + ("" if found else
                 " (the sentence could not be located on the page image; shown unmarked)"), output_format="PNG")

st.subheader("Requirements")
st.caption("Published business-visitor tests read against the contract. Not legal advice: border officers "
           "decide case by case.")
for line in view.summary:
    st.markdown(f"- {line}")
if view.checklist:
    tabs = st.tabs([JURISDICTIONS.get(j, j) for j in view.checklist])
    for tab, items in zip(tabs, view.checklist.values(), strict=True):
        with tab:
            for r in items:
                risk = " (risk)" if r.get("severity") == "risk" and r["verdict"] == "gap" else ""
                label = f"{ui.verdict_label(r['verdict'])}{risk} · {r['id']} · {r['title']}"
                with st.expander(label, expanded=r["verdict"] == "gap"):
                    st.markdown(r["explanation"])
                    for ev in r.get("evidence") or []:
                        st.caption(ui.sentence_case(view.where(ev)))
                        st.text(ev["text"])
                    if r["verdict"] == "gap" and r.get("remedy"):
                        st.markdown("**Suggested clause wording** (copy with the button at the top right):")
                        st.code(r["remedy"], language=None, wrap_lines=True)
                    st.caption(f"Test: {r.get('test', '')}  \nSource: {r.get('source', '')}")

st.subheader("Download the report")
stem = Path(rv.names[0]).stem
downloads = st.columns(4)
downloads[0].download_button("JSON", dumps(report), f"{stem}-report.json", "application/json",
                             on_click="ignore", icon=":material/data_object:")
downloads[1].download_button("Markdown", render_markdown(report), f"{stem}-report.md", "text/markdown",
                             on_click="ignore", icon=":material/article:")
downloads[2].download_button("HTML", render_html(report), f"{stem}-report.html", "text/html",
                             on_click="ignore", icon=":material/html:")
downloads[3].download_button(
    "Word (DOCX)", lambda: render_docx(report), f"{stem}-report.docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    on_click="ignore", icon=":material/description:")
