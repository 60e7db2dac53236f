"""Evaluation page (for analysts): the bundled labelled corpus, or an uploaded one in the same format, in;
the metrics, the confusion matrix, per-service charts and a browser of every misclassified clause out."""

import json
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from analyzer import BadInputError
from analyzer.corpus import SPLITS, validate_corpus
from analyzer.evaluate import SYSTEMS, evaluate_corpus
from analyzer.highlight import sentence_marks
from analyzer.results import SERVICES, STATUSES
from analyzer.uploads import unpack_corpus
from app_pages import ui

BUNDLED = Path(__file__).resolve().parents[1] / "corpus"
SOURCES = {"bundled": "The bundled corpus (corpus/)", "upload": "My own labelled corpus (ZIP)"}

st.title("Evaluation")
st.caption("How closely the service statuses match a labelled corpus: the project's own, or yours in the "
           "format of corpus/README.md (annotations/, contracts/, split.json).")
ui.privacy_note()

with st.form("evaluation-input"):
    available = [s for s in SOURCES if s != "bundled" or (BUNDLED / "annotations").is_dir()]
    source = st.radio("Corpus", available, format_func=SOURCES.get, horizontal=True)
    upload = st.file_uploader("Labelled corpus (ZIP); unpacked into a temporary folder that is removed after the run",
                              type=["zip"])
    split = st.selectbox("Split", SPLITS, index=SPLITS.index("test"))
    extras = st.toggle("Also the ablation, grouped cross-validation and learning curve (trains models; slower)")
    submitted = st.form_submit_button("Run the evaluation", type="primary", icon=":material/play_arrow:")

if submitted:
    st.session_state.pop("evaluation", None)
    with st.status("Evaluating…", expanded=True) as status:
        try:
            if source == "upload":
                if upload is None:
                    raise BadInputError("choose a corpus ZIP to upload first")
                with tempfile.TemporaryDirectory(prefix="contract-eval-") as tmp:
                    status.write(f"Unpacking {upload.name}")
                    root = unpack_corpus(upload.getvalue(), upload.name, Path(tmp))
                    status.write("Checking the annotations against the contracts")
                    problems = validate_corpus(root)
                    if problems:
                        raise BadInputError(f"{upload.name}: {len(problems)} problem(s) in the corpus, first: "
                                            + "; ".join(problems[:3]))
                    status.write(f"Analysing the {split} split")
                    result = evaluate_corpus(root, split=split, extras=extras)
            else:
                status.write(f"Analysing the {split} split of the bundled corpus")
                result = evaluate_corpus(BUNDLED, split=split, extras=extras)
        except BadInputError as exc:
            status.update(label="The evaluation could not run", state="error")
            st.error(str(exc), icon=":material/error:")
        else:
            st.session_state["evaluation"] = result
            status.update(label="Evaluation done", state="complete", expanded=False)

result = st.session_state.get("evaluation")
if result is None:
    st.info("Choose a corpus and a split, then press **Run the evaluation**.")
    st.stop()
m = result.metrics

top = st.columns(4)
top[0].metric("Contracts", m["contracts"], help=f"split: {m['split']}")
top[1].metric("Macro-F1 (mentions)", f"{m['systems']['combined']['macro_f1']:.3f}")
top[2].metric("Contract-level accuracy", f"{m['systems']['combined']['contract_accuracy']:.3f}")
top[3].metric("Detection span recall", f"{m['detection_span_recall']:.3f}",
              help="share of labelled sentences in which the spaCy stage found the service at all")
st.caption(f"Model: {m.get('model', 'unknown')}. Mentions scored: {m['systems']['combined']['mentions']}.")

st.subheader("Metrics")
st.dataframe(pd.DataFrame([{"system": name, "macro-F1": s["macro_f1"], "accuracy": s["accuracy"],
                            "contract accuracy": s["contract_accuracy"], "mentions": s["mentions"]}
                           for name in SYSTEMS if (s := m["systems"].get(name))]), hide_index=True)
per_status = m["systems"]["combined"]["per_status"]
st.dataframe(pd.DataFrame(per_status).T.rename_axis("status").reset_index(), hide_index=True)

st.subheader("Confusion matrix")
cm = m["confusion"]
matrix = pd.DataFrame(cm["matrix"], index=[f"gold {s}" for s in cm["labels"]],
                      columns=[f"predicted {s}" for s in cm["labels"]])
st.dataframe(matrix.style.background_gradient(cmap="Blues", axis=None))

st.subheader("Per service")
per_service = m["systems"]["combined"]["per_service"]
f1 = pd.DataFrame({status: [per_service[s][status]["f1"] for s in SERVICES] for status in STATUSES}, index=SERVICES)
st.bar_chart(f1, stack=False, y_label="F1", x_label="service")
accuracy = pd.DataFrame({"service": list(SERVICES),
                         "contract accuracy": [m["systems"]["combined"]["contract_accuracy_per_service"][s]
                                               for s in SERVICES]})
st.bar_chart(accuracy, x="service", y="contract accuracy")

if "cross_validation" in m:
    cv = m["cross_validation"]
    st.subheader("Cross-validation and learning curve")
    st.markdown(f"{cv['folds']}-fold, grouped by contract: macro-F1 {cv['macro_f1_mean_std'][0]:.3f} "
                f"± {cv['macro_f1_mean_std'][1]:.3f}; contract accuracy {cv['contract_accuracy_mean_std'][0]:.3f} "
                f"± {cv['contract_accuracy_mean_std'][1]:.3f}")
    st.line_chart(pd.DataFrame(m["learning_curve"]), x="train_contracts", y=["macro_f1", "contract_accuracy"])

st.subheader(f"Errors ({len(result.errors)})")
if result.errors:
    errors = pd.DataFrame(result.errors)
    pick = st.columns(3)
    services = pick[0].multiselect("Service", SERVICES, key="err-service")
    gold = pick[1].multiselect("Gold", STATUSES, key="err-gold")
    predicted = pick[2].multiselect("Predicted", STATUSES, key="err-predicted")
    shown = errors[(errors["service"].isin(services or SERVICES)) & (errors["gold"].isin(gold or STATUSES))
                   & (errors["predicted"].isin(predicted or STATUSES))].reset_index(drop=True)
    table = st.dataframe(shown[["contract", "clause", "page", "service", "gold", "predicted", "confidence"]],
                         hide_index=True, on_select="rerun", selection_mode="single-row", key="err-table")
    rows = table.selection.rows if table is not None else []
    if len(shown):
        e = shown.iloc[rows[0] if rows else 0]
        st.markdown(f"**{e['contract']}**, clause {e['clause'] or '–'}, page {e['page']}: {e['service']} is "
                    f"**{e['gold']}** (gold), predicted **{e['predicted']}** with confidence {e['confidence']:.2f}")
        ui.marked_sentence(e["text"], sentence_marks(e["text"]))
else:
    st.success("No mention misclassified.")

out = st.columns(2)
out[0].download_button("metrics.json", json.dumps(m, indent=2, ensure_ascii=False), "metrics.json",
                       "application/json", on_click="ignore", icon=":material/data_object:")
out[1].download_button("errors.json", json.dumps(result.errors, indent=2, ensure_ascii=False), "errors.json",
                       "application/json", on_click="ignore", icon=":material/data_object:")
