"""Portfolio page: many contracts (files or ZIPs) in; one sortable row per contract with each service and
key requirement, filters, the gaps across the portfolio, and the table as CSV or Excel out."""

import pandas as pd
import streamlit as st

from analyzer.portfolio import KEY_REQUIREMENTS
from analyzer.report.view import STATUSES
from analyzer.results import SERVICES
from analyzer.scan import COLUMNS, gap_counts, scan, select, to_csv, to_xlsx
from analyzer.uploads import contract_files
from app_pages import ui

st.title("Portfolio")
st.caption("Many supplier contracts at once: which ones make the supplier provide each service, and which "
           "fail the business-visitor requirements.")
ui.privacy_note()

with st.form("portfolio-input", clear_on_submit=True):
    uploads = st.file_uploader("Contracts (PDF, DOCX, TXT), or ZIP files holding them", accept_multiple_files=True,
                               type=[*ui.CONTRACT_TYPES, "zip"])
    add_samples = st.checkbox("Add the bundled sample contract(s)")
    use_model = st.toggle("Use the trained classifier (off: the rules decide alone)", value=True)
    submitted = st.form_submit_button("Analyse the portfolio", type="primary", icon=":material/play_arrow:")

if submitted:
    files = [(u.name, u.getvalue()) for u in uploads or []]
    if add_samples:
        files += [(name, ui.sample_bytes(name)) for name in ui.samples()]
    if not files:
        st.warning("Upload contracts or ZIP files, or tick the bundled samples.")
    else:
        items = list(contract_files(files))
        files = uploads = None
        bar = st.progress(0.0, text=f"Analysing {len(items)} contract(s)…")
        results = []
        for i, item in enumerate(items):
            bar.progress(i / len(items), text=f"Analysing {i + 1} of {len(items)}: {item.name}")
            results.append(scan(item, use_model=use_model))
            items[i] = None  # release each file's bytes as soon as its row is made
        bar.progress(1.0, text=f"Analysed {len(results)} contract(s)")
        st.session_state["portfolio"] = results

results = st.session_state.get("portfolio")
if not results:
    st.info("Upload contracts (several files, or ZIPs of them) and press **Analyse the portfolio**.")
    st.stop()

done = [r for r in results if r.error is None]
failed = [r for r in results if r.error is not None]
top = st.columns(3)
top[0].metric("Contracts analysed", len(done))
top[1].metric("With at least one gap", sum(1 for r in done if r.gaps))
top[2].metric("Could not be read", len(failed))
for r in failed:
    st.error(r.error, icon=":material/error:")

st.subheader("Contracts")
rows = [r.row for r in done]
filters = st.columns([2, 2, 3, 2])
kinds = filters[0].multiselect("Kind", sorted({r["kind"] for r in rows if r["kind"]}))
service = filters[1].selectbox("Service", ["(any)", *SERVICES])
statuses = filters[2].multiselect("with status", list(STATUSES), disabled=service == "(any)",
                                  format_func=lambda s: STATUSES[s])
gaps_only = filters[3].toggle("Only with gaps")
text = st.text_input("Search file, supplier or customer", placeholder="e.g. GmbH")
shown = select(rows, kinds=kinds, service=None if service == "(any)" else service, statuses=statuses,
               gaps_only=gaps_only, text=text)
st.caption(f"{len(shown)} of {len(rows)} contracts; click a column header to sort.")
table = pd.DataFrame(shown, columns=[c for c in COLUMNS if c != "error"])
first = ["file", "kind", "supplier", *SERVICES, *KEY_REQUIREMENTS, "gaps"]
st.dataframe(table, hide_index=True, column_order=first + [c for c in table.columns if c not in first], column_config={
    "file": st.column_config.TextColumn("file", pinned=True),
    "gaps": st.column_config.NumberColumn("gaps", help="requirements failed, Canada and US together"),
    **{rid: st.column_config.TextColumn(rid, help="key requirement verdict") for rid in KEY_REQUIREMENTS},
})

st.subheader("Gaps across the portfolio")
names = {r["file"] for r in shown}
counts = gap_counts(r for r in done if r.name in names)
if counts:
    chart = pd.DataFrame({"requirement": [rid for rid, _, _ in counts], "contracts": [n for _, _, n in counts]})
    st.bar_chart(chart, x="requirement", y="contracts", horizontal=True, sort="-contracts")
    st.dataframe([{"requirement": rid, "title": title, "contracts with the gap": n} for rid, title, n in counts],
                 hide_index=True)
else:
    st.success("No contract shown has a gap.")

st.subheader("Download the table")
out = st.columns(2)
everything = shown + [r.row for r in failed]
out[0].download_button("CSV", to_csv(everything), "portfolio.csv", "text/csv", on_click="ignore",
                       icon=":material/csv:")
out[1].download_button("Excel (XLSX)", lambda: to_xlsx(everything), "portfolio.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                       icon=":material/table:")
