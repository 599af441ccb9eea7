"""`dialogpaint serve`: the web UI at / and the JSON API under /api, in one process."""

from __future__ import annotations

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=7860, show_default=True)
@click.option("--data-dir", default=None, help="SQLite database and images (default: under the user data dir).")
@click.option("--editor", "editor_name", default="auto", show_default=True,
              help="Editor: auto, tiny, ip2p, random, identity, or a diffusers model folder.")
@click.option("--model", default=None, help="For ip2p/auto: InstructPix2Pix weights (folder or hub id).")
@click.option("--dialogue", "dialogue_name", default=None,
              help="Dialogue backend: rules (default), direct, smollm2, local, openai, or a chat model folder/.gguf.")
@click.option("--workers", type=click.IntRange(1, 16), default=1, show_default=True, help="Edits running at once.")
@click.option("--queue-size", type=click.IntRange(0, 1000), default=4, show_default=True,
              help="Edits waiting beyond the running ones; more are answered 503.")
@click.option("--no-ui", is_flag=True, help="Serve the API only.")
@click.option("--device", default=None, help="cpu, cuda, cuda:1 ... (default: cuda if present).")
@click.option("--dtype", default=None, help="fp32, fp16 or bf16 (default: fp16 on CUDA, fp32 on CPU).")
def serve(host, port, data_dir, editor_name, model, dialogue_name, workers, queue_size, no_ui, device, dtype):
    """Serve the web demo (/) and the HTTP API (/api, docs at /api/docs)."""
    import uvicorn

    from .dialogue import load_dialogue
    from .editing import load_editor
    from .serve.app import create_app, default_data_dir
    from .serve.service import ServeConfig

    editor = load_editor(editor_name, model=model, device=device, dtype=dtype)
    dialogue = load_dialogue(dialogue_name)
    cfg = ServeConfig(data_dir=str(data_dir or default_data_dir()), workers=workers, queue_size=queue_size)
    app = create_app(cfg, editor, dialogue, ui=not no_ui)
    click.echo(f"DialogPaint on http://{host}:{port}/  (API docs: /api/docs; data in {cfg.data_dir}; "
               f"editor {editor.name}, dialogue {dialogue.name})")
    uvicorn.run(app, host=host, port=port, log_level="warning")
