"""Review page: a contract (upload or bundled sample) in, service statuses with evidence out."""

from pathlib import Path

import streamlit as st

from analyzer import BadInputError, analyze
from analyzer.report.build import to_report

SAMPLES = Path(__file__).resolve().parent.parent / "analyzer" / "samples"

st.title("Review a contract")
st.caption("Everything runs on this machine: the contract is not sent anywhere and not kept on disk.")

upload = st.file_uploader("Contract (PDF, DOCX or TXT)", type=["pdf", "docx", "txt", "md"])
samples = sorted(p.name for p in SAMPLES.glob("sample-*"))
sample = st.selectbox("…or a bundled sample", ["(none)", *samples], index=1 if samples and upload is None else 0)

data, name = None, None
if upload is not None:
    data, name = upload.getvalue(), upload.name
elif sample != "(none)":
    data, name = (SAMPLES / sample).read_bytes(), sample

if data is not None:
    try:
        with st.spinner(f"Analysing {name}…"):
            report = to_report(analyze(data, names=[name]))
    except BadInputError as exc:
        st.error(str(exc))
        st.stop()
    contract = report["contract"]
    st.subheader(f"{name}: {contract['kind']} contract")
    st.table([{k: p[k] for k in ("name", "role", "side", "country")} for p in contract["parties"]])
    for service, result in report["services"].items():
        with st.expander(f"{service}: {result['status']} (confidence {result['confidence']:.2f})"):
            for ev in result["evidence"]:
                st.markdown(f"**{ev['status']}** — clause {ev['clause'] or '–'}, page {ev['page']}")
                st.text(ev["text"])
