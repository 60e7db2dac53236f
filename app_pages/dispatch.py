"""Dispatch check page: the facts of one planned trip in; the verdict with its reasons, the dates against
the warranty, service or lease term, the document package to carry, and the support letter out."""

from datetime import date

import streamlit as st

from analyzer import BadInputError
from analyzer.report.letter import render_letter
from analyzer.report.markdown import render_markdown
from analyzer.report.view import JURISDICTIONS, NEEDS, dispatch_heading, trip_lines, where
from analyzer.requirements.dispatch import EMERGENCIES, EXPENSE_PAYERS, trip_from_dict
from analyzer.requirements.engine import get_catalogue
from analyzer.requirements.facts import load_cues
from analyzer.session import review, with_trip
from app_pages import ui

UNKNOWN = "not known"
YES_NO = {UNKNOWN: None, "yes": True, "no": False}
VERDICT_BOX = {"qualifies": st.success, "does_not_qualify": st.error, "cannot_tell": st.warning}
DATE_STATUS = {"within": "green", "outside": "red", "unknown": "orange", "no_dates": "gray", "no_term": "orange",
               "not_needed": "gray"}

st.title("Dispatch check")
st.caption("Can this technician go on this trip under the contract? Give what you know; unknown facts are "
           "listed as open points.")
ui.privacy_note()

rv = st.session_state.get("review")
if rv is None:
    st.info("No contract analysed yet in this session. Analyse one on the Review page, or start with the "
            "bundled sample.")
    st.page_link("app_pages/review.py", label="Go to Review", icon=":material/description:")
    samples = ui.samples()
    if samples and st.button(f"Use the bundled sample ({samples[0]})"):
        with st.spinner("Analysing the sample…"):
            st.session_state["review"] = review([(samples[0], ui.sample_bytes(samples[0]))])
        st.rerun()
    st.stop()

st.markdown(f"**Contract:** {', '.join(rv.names)} ({rv.report['contract']['kind']}); to check another, "
            "analyse it on the Review page.")

tasks = [t.name for t in get_catalogue().tasks]
events = list(load_cues().triggers)
with st.form("trip"):
    left, right = st.columns(2)
    with left:
        destination = st.radio("Destination", list(JURISDICTIONS), format_func=JURISDICTIONS.get, horizontal=True)
        chosen = st.multiselect("Planned tasks", tasks, placeholder="What will the technician do?")
        start = st.date_input("First day of the visit", value=None, format="YYYY-MM-DD")
        end = st.date_input("Last day of the visit", value=None, format="YYYY-MM-DD")
        name = st.text_input("Traveller's name")
        role = st.text_input("Traveller's position", placeholder="e.g. Senior service technician")
        citizenship = st.text_input("Citizenship (two-letter country code)", max_chars=2, placeholder="DE")
    with right:
        employer = st.text_input("Employer", placeholder="the supplier, or a partner named in the contract")
        employer_country = st.text_input("Employer's country (code)", max_chars=2)
        payroll_country = st.text_input("Salary paid from (country code)", max_chars=2)
        expenses = st.selectbox("Trip expenses paid by", [UNKNOWN, *EXPENSE_PAYERS])
        specialised = st.selectbox("Specialised knowledge documented (CV, maker's training)", list(YES_NO))
        origin = st.text_input("Goods made in (country code)", max_chars=2)
        construction = st.selectbox("Construction work involved", list(YES_NO))
        emergency = st.selectbox("Emergency", [UNKNOWN, *EMERGENCIES])
        oem = st.selectbox("Maker present in Canada", list(YES_NO))
    with st.expander("Dates of contract events (to place the warranty or service period on the calendar)"):
        cols = st.columns(3)
        dates = {e: cols[i % 3].date_input(e.capitalize(), value=None, format="YYYY-MM-DD", key=f"event-{e}")
                 for i, e in enumerate(events)}
    submitted = st.form_submit_button("Check the trip", type="primary", icon=":material/fact_check:")


def _given(value):
    """Form values as the trip facts take them: empty and 'not known' mean unknown."""
    if isinstance(value, str):
        value = value.strip()
        return None if value in ("", UNKNOWN) else value
    return value


if submitted:
    fields = {
        "destination": destination, "tasks": chosen, "start": start, "end": end,
        "citizenship": _given(citizenship), "employer": _given(employer),
        "employer_country": _given(employer_country), "payroll_country": _given(payroll_country),
        "expenses_paid_by": _given(expenses), "specialised_knowledge": YES_NO[specialised],
        "origin": _given(origin), "construction": YES_NO[construction], "emergency": _given(emergency),
        "oem_presence_in_canada": YES_NO[oem],
        "contract_dates": {e: d for e, d in dates.items() if isinstance(d, date)},
        "traveller": {k: v for k, v in (("name", _given(name)), ("role", _given(role))) if v},
    }
    trip_facts = {k: v for k, v in fields.items() if v not in (None, {}, [])}
    try:
        trip = trip_from_dict(trip_facts, "Trip form")
    except BadInputError as exc:
        st.session_state.pop("trip_report", None)
        st.error(str(exc), icon=":material/error:")
    else:
        with st.spinner("Checking the trip against the contract…"):
            st.session_state["trip_report"] = with_trip(rv.analysis, trip)

report = st.session_state.get("trip_report")
if report is None:
    st.stop()
d = report["dispatch"]

VERDICT_BOX[d["verdict"]](dispatch_heading(d))
st.subheader("Why")
for reason in d["reasons"]:
    st.markdown(f"- {reason}")

st.subheader("Dates")
dc = d["date_check"]
st.badge(dc["status"].replace("_", " "), color=DATE_STATUS.get(dc["status"], "gray"))
st.markdown(dc["explanation"])
if dc["terms"]:
    st.dataframe([{"period": t["kind"], "length": t["period"], "from": t["start"], "to": t["end"],
                   "covers the visit": t["covers_visit"], "clause": where(t["evidence"])}
                  for t in dc["terms"]], hide_index=True)

if d["tasks"]:
    st.subheader("Planned tasks")
    st.dataframe([{"task": t["task"], "service": t["service"], "contract status": t["status"],
                   "allowed for a visitor": t["allowed"],
                   "clauses": "; ".join(where(c) for c in t["clauses"])} for t in d["tasks"]], hide_index=True)

if d["fallback"]:
    st.subheader("If the visitor route fails")
    for r in d["fallback"]:
        st.markdown(f"- **{r['id']} {r['title']}** ({r['verdict'].replace('_', ' ')}): {r['explanation']}")

st.subheader("Document package")
st.caption("Tick each item as it goes into the traveller's folder.")
for doc in d["documents"]:
    st.checkbox(f"**{NEEDS.get(doc['need'], doc['need'])}:** {doc['item']}", key=f"doc-{doc['id']}")
    notes = [doc["note"]] if doc.get("note") else []
    if doc["clauses"]:
        notes.append("Mark: " + "; ".join(where(c) for c in doc["clauses"]))
    if notes:
        st.caption("  \n".join(notes))

with st.expander("Trip facts as entered"):
    st.markdown("\n".join(f"- {line}" for line in trip_lines(d)))

st.subheader("Download")
files = st.columns(2)
files[0].download_button(
    "Support letter (DOCX draft)", lambda: render_letter(report), "support-letter.docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", on_click="ignore",
    icon=":material/mail:", type="primary")
files[1].download_button("Dispatch report (Markdown)", render_markdown(report), "dispatch-report.md",
                         "text/markdown", on_click="ignore", icon=":material/article:")
