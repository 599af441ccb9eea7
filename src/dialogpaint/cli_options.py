"""Command-line options more than one command takes, declared once.

Is: click decorators (`backend_options`: which editor and dialogue, on which device; `editing_options`:
those plus the edit settings). Is not: the commands (cli.py, cli_serve.py, cli_train.py).
"""

from __future__ import annotations

import click


def _apply(f, opts):
    for o in reversed(opts):
        f = o(f)
    return f


def _remember_fast(ctx, _param, value):
    """--fast is read by the command's parameter builder (cli._params), not passed to every command."""
    if value:
        ctx.meta["dialogpaint.fast"] = True


def backend_options(f):
    """--editor, --model, --dialogue, --device, --dtype."""
    return _apply(f, [
        click.option("--editor", "editor_name", default="auto", show_default=True,
                     help="Editor: auto (photo engine, else InstructPix2Pix weights, else tiny on its world), photo, tiny, "
                          "ip2p, random, identity, or a diffusers model folder."),
        click.option("--model", default=None, help="For ip2p/auto: InstructPix2Pix weights (folder or hub id)."),
        click.option("--dialogue", "dialogue_name", default=None,
                     help="Dialogue backend: rules (default), direct, smollm2, local, openai, or a chat model "
                          "folder/.gguf (see `dialogpaint backends`)."),
        click.option("--device", default=None, help="cpu, cuda, cuda:1 ... (default: cuda if present)."),
        click.option("--dtype", default=None,
                     help="fp32, fp16 or bf16 (default: fp16 on CUDA; bf16 on a CPU with native bf16, else fp32)."),
    ])


def editing_options(f):
    """The backend options plus --steps, --text-guidance, --image-guidance, --scheduler, --seed."""
    return backend_options(_apply(f, [
        click.option("--steps", type=int, default=20, show_default=True, help="Denoising steps (1-500)."),
        click.option("--text-guidance", "-sT", type=float, default=7.5, show_default=True,
                     help="Text guidance s_T (0-30)."),
        click.option("--image-guidance", "-sI", type=float, default=1.5, show_default=True,
                     help="Image guidance s_I (0-30)."),
        click.option("--scheduler", default=None, help="euler_a, euler, ddim or dpm++ (default: the model's)."),
        click.option("--fast", is_flag=True, expose_value=False, callback=_remember_fast,
                     help="Fast mode: DPM++ with 8 steps (unless --steps/--scheduler say otherwise); fewer "
                          "steps, slightly weaker edits (README: Speed)."),
        click.option("--seed", type=int, default=0, show_default=True, help="Seed of the session (0 to 4294967295)."),
    ]))
