"""Streamlit entry point: routes to the page scripts in app_pages/. All logic lives in `analyzer`."""

import streamlit as st

st.set_page_config(page_title="Contract analyzer — after-sales service", layout="wide")

pages = [
    st.Page("app_pages/review.py", title="Review a contract", default=True),
]
st.navigation(pages).run()
