"""云绩效 server: the dashboard plus the sign-in cookie routes (``ui/web.py``).

    streamlit run server.py        (what scripts/start.sh runs)

``streamlit run dashboard.py`` still works, but a sign-in then lasts only as long as the browser tab.
"""

import streamlit as st

from ui.web import routes

app = st.App("dashboard.py", routes=routes())
