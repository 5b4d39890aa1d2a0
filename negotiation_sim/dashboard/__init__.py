"""The dashboard: an interactive page on Mesa's SolaraViz (``negotiation-sim dashboard``).

``app`` is the page and the only module that imports solara, which the core install lacks
(``pip install "negotiation-sim[dashboard]"``); ``settings`` holds the page's logic (its
controls, the model built from them, its ensembles), ``assets`` the local copy of the
page's front-end files, and ``launch`` checks both and starts the server.
"""
