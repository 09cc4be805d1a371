"""云绩效 server: the dashboard plus the sign-in cookie routes (``ui/web.py``) and ``GET /healthz``
(``ui/health.py``, what a load balancer in front of several replicas asks).

    streamlit run server.py        (what scripts/start.sh runs)

``streamlit run dashboard.py`` still works, but a sign-in then lasts only as long as the browser tab.
"""

import streamlit as st

from ui import health
from ui.web import routes

app = st.App("dashboard.py", routes=[*routes(), health.route()])
