"""云绩效 dashboard: navigation, the shared filters (bound to the URL), language, presenter mode.

    streamlit run dashboard.py

Every page is a thin file in pages/ that reads the filters, asks ui.cache for the metrics and lays
them out; ui.app holds what runs before each page.  With an empty store only the welcome and data
pages are offered.
"""

from ui import app

app.run(app.setup())
