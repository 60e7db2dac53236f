"""Streamlit entry point: loads the language pipeline and the classifier once per server, and routes to
the page scripts in app_pages/. All logic lives in `analyzer`; the pages only draw."""

import streamlit as st

from app_pages import ui

st.set_page_config(page_title="Contract analyzer: after-sales service", page_icon=":material/handyman:",
                   layout="wide")

pages = [
    st.Page("app_pages/review.py", title="Review", icon=":material/description:", default=True),
    st.Page("app_pages/dispatch.py", title="Dispatch check", icon=":material/flight_takeoff:"),
    st.Page("app_pages/portfolio.py", title="Portfolio", icon=":material/table_view:"),
    st.Page("app_pages/evaluation.py", title="Evaluation", icon=":material/analytics:"),
]
page = st.navigation(pages)
ui.models()
with st.sidebar:
    st.caption(":material/lock: Local only: nothing leaves this machine.")
page.run()
