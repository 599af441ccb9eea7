"""Serving: `dialogpaint serve` = the JSON API (api.py) + the Gradio UI (ui.py) over one Service
(service.py) with durable sessions (store.py), assembled in app.py. Nothing here is imported until
the serve command (or a test) asks for it: the web stack is heavy."""
