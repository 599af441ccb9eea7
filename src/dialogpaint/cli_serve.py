"""`dialogpaint serve`: the web UI at / and the JSON API under /api, in one process."""

from __future__ import annotations

import click

from .cli_options import backend_options


class Duration(click.ParamType):
    """Seconds, from '90', '90s', '30m', '12h' or '7d'."""

    name = "duration"
    UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    def convert(self, value, param, ctx):
        if isinstance(value, (int, float)):
            return float(value)
        text = str(value).strip().lower()
        unit = self.UNITS.get(text[-1:], None)
        try:
            seconds = float(text[:-1] if unit else text) * (unit or 1)
        except ValueError:
            seconds = -1.0
        if not seconds >= 0 or seconds == float("inf"):
            self.fail(f"{value!r} is not a duration like 90s, 30m, 12h or 7d")
        return seconds


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=7860, show_default=True)
@click.option("--data-dir", default=None, help="SQLite database and images (default: under the user data dir).")
@click.option("--workers", type=click.IntRange(1, 16), default=1, show_default=True, help="Edits running at once.")
@click.option("--queue-size", type=click.IntRange(0, 1000), default=4, show_default=True,
              help="Edits waiting beyond the running ones; more are answered 503.")
@click.option("--max-side", type=click.IntRange(64, 8192), default=2048, show_default=True,
              help="Uploaded images are shrunk to at most this many pixels on their longest side.")
@click.option("--cache-mb", type=click.IntRange(16), default=1024, show_default=True,
              help="Memory for the images of sessions kept in memory (the rest are reloaded from disk).")
@click.option("--session-ttl", type=Duration(), default="30d", show_default=True,
              help="Delete sessions idle (no turn) this long: 90s, 30m, 12h, 7d; 0 keeps them forever.")
@click.option("--sessions-per-minute", type=click.IntRange(0), default=30, show_default=True,
              help="New sessions per client address per minute (0: no limit); more get 429.")
@click.option("--max-sessions", type=click.IntRange(1), default=10_000, show_default=True,
              help="Sessions stored at once; new ones beyond it get 503.")
@click.option("--disk-mb", type=click.IntRange(1), default=20_000, show_default=True,
              help="Stored images; new sessions and edits beyond it get 503.")
@click.option("--no-ui", is_flag=True, help="Serve the API only.")
@backend_options
def serve(host, port, data_dir, editor_name, model, dialogue_name, workers, queue_size, max_side, cache_mb,
          session_ttl, sessions_per_minute, max_sessions, disk_mb, no_ui, device, dtype):
    """Serve the web demo (/) and the HTTP API (/api, docs at /api/docs)."""
    import uvicorn

    from .dialogue import load_dialogue
    from .editing import load_editor
    from .serve.app import create_app, default_data_dir
    from .serve.limits import Limits
    from .serve.service import ServeConfig

    editor = load_editor(editor_name, model=model, device=device, dtype=dtype)
    dialogue = load_dialogue(dialogue_name)
    if callable(warm := getattr(dialogue, "warm", None)):
        warm()  # models a backend loads lazily load now, not during a user's first turn
    cfg = ServeConfig(data_dir=str(data_dir or default_data_dir()), workers=workers, queue_size=queue_size,
                      max_side=max_side, cache_mb=cache_mb,
                      limits=Limits(sessions_per_minute=sessions_per_minute, uploads_per_minute=sessions_per_minute,
                                    max_sessions=max_sessions, disk_mb=disk_mb, session_ttl=session_ttl,
                                    sweep_every=min(60.0, max(1.0, session_ttl / 4)) if session_ttl else 60.0))
    app = create_app(cfg, editor, dialogue, ui=not no_ui)
    click.echo(f"DialogPaint on http://{host}:{port}/  (API docs: /api/docs; data in {cfg.data_dir}; "
               f"editor {editor.name}, dialogue {dialogue.name})")
    uvicorn.run(app, host=host, port=port, log_level="warning")
