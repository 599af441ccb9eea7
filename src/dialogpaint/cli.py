"""The `dialogpaint` command line: edit, chat, demo (and the listing of backends).

User mistakes (a missing or corrupt image, a parameter out of range, an unknown backend) print one
line starting with "Error:" and exit 2; they never show a traceback.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from .cli_options import editing_options
from .errors import DialogPaintError
from .paths import data_home


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DialogPaintError as e:
            click.echo(f"Error: {e}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("\ninterrupted", err=True)
            ctx.exit(130)


def _params(steps, text_guidance, image_guidance, scheduler):
    from .editing.base import EditParams
    from .editing.schedulers import SCHEDULERS
    from .errors import ConfigError

    if scheduler is not None and scheduler not in SCHEDULERS:
        raise ConfigError(f"unknown scheduler {scheduler!r}; known: {', '.join(SCHEDULERS)}")
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get("dialogpaint.fast"):  # --fast: its preset where the user gave nothing
        from click.core import ParameterSource

        from .editing.schedulers import FAST

        if ctx.get_parameter_source("steps") in (ParameterSource.DEFAULT, None):
            steps = FAST["steps"]
        scheduler = scheduler or FAST["scheduler"]
    return EditParams(steps=steps, text_guidance=text_guidance, image_guidance=image_guidance, scheduler=scheduler)


def _editor(name, model, device, dtype=None, image=None):
    """The editor asked for, with a note when it cannot do well on `image` (the user's explicit choice)."""
    from .editing import load_editor
    from .editing.routing import is_world_picture

    ed = load_editor(name, model=model, device=device, dtype=dtype)
    if getattr(ed, "name", "") == "random":
        click.echo("Note: the 'random' editor has untrained weights: its edits are noise.", err=True)
    if getattr(ed, "domain", None) == "world" and image is not None and not is_world_picture(image):
        click.echo(f"Note: the '{ed.name}' model knows only its synthetic world; on this picture its edits will be "
                   "poor. For photos use --editor auto (the photo engine) or InstructPix2Pix weights "
                   "(--editor ip2p --model FOLDER).", err=True)
    return ed


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dialogpaint")
def cli():
    """DialogPaint: edit images by conversation."""


@cli.command()
@click.argument("input_path", metavar="IN")
@click.argument("output_path", metavar="OUT")
@click.argument("instruction")
@editing_options
def edit(input_path, output_path, instruction, editor_name, model, dialogue_name, steps, text_guidance,
         image_guidance, scheduler, seed, device, dtype):
    """Apply one INSTRUCTION to the image IN and write OUT (one shot, no dialogue)."""
    from .errors import ConfigError, UnsupportedEditError
    from .images import open_image
    from .session import Session

    image = open_image(input_path)
    if not instruction.strip():
        raise ConfigError("the instruction is empty: say what to change, e.g. \"make the sky pink\"")
    params = _params(steps, text_guidance, image_guidance, scheduler)
    out = Path(output_path)
    if out.suffix.lower() not in (".png", ".jpg", ".jpeg", ".webp"):
        raise ConfigError(f"'{out}': the output must end in .png, .jpg or .webp")
    if not out.parent.exists():
        raise ConfigError(f"the folder '{out.parent}' does not exist")
    session = Session(image, editor=_editor(editor_name, model, device, dtype, image), dialogue="direct", seed=seed,
                      params=params)
    t0 = time.perf_counter()
    reply = session.edit(instruction)  # the same seed as the first edit of a chat with this --seed
    if reply.action != "edit":  # no editor here can do it: the reason, and nothing written
        raise UnsupportedEditError(reply.message)
    result = session.image
    result.save(out)
    click.echo(f"wrote {out} ({result.width}x{result.height}, {time.perf_counter() - t0:.1f} s): {reply.message}")


CHAT_HELP = """Type a request ("make the ball blue"), or a command:
  /undo            forget the last edit
  /forget N|WORDS  forget edit N, or the one whose instruction has WORDS
  /history         the conversation and the live edits
  /save [FILE]     save the current image (default: current.png in the output folder)
  /quit            leave (Ctrl-D too)"""


@cli.command()
@click.argument("image", required=False)
@click.option("--out", "out_dir", default=None, help="Folder for the versions (default: under the user data dir).")
@click.option("--caption", default=None, help="Caption of the image, if you know it.")
@editing_options
def chat(image, out_dir, caption, editor_name, model, dialogue_name, steps, text_guidance, image_guidance,
         scheduler, seed, device, dtype):
    """Talk about IMAGE to edit it (no IMAGE: a generated example scene).

    Every version is saved as PNG in the output folder."""
    from .images import open_image
    from .session import Session
    from .world import example_scene

    if image:
        img = open_image(image)
    else:
        img, caption = example_scene(seed)
    params = _params(steps, text_guidance, image_guidance, scheduler)
    session = Session(img, editor=_editor(editor_name, model, device, dtype, img), dialogue=dialogue_name, caption=caption,
                      seed=seed, params=params)
    out = Path(out_dir) if out_dir else data_home() / "chats" / time.strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    saved: set[int] = set()

    def save_new():
        for v in session.versions:
            if v.id not in saved:
                v.image.save(out / f"version-{v.id:03d}.png")
                saved.add(v.id)

    save_new()
    click.echo(f"Editing {'the example scene: ' + caption if not image else image} "
               f"[editor {session.editor.name}, dialogue {session.dialogue.name}]")
    click.echo(f"Versions are saved in {out}. /help lists the commands.")
    stdin = click.get_text_stream("stdin")
    while True:
        click.echo("you> ", nl=False)
        line = stdin.readline()
        if not line:  # Ctrl-D
            click.echo("\nbye")
            break
        text = line.strip()
        if text.startswith("/"):
            cmd, _, arg = text.partition(" ")
            arg = arg.strip()
            if cmd in ("/quit", "/exit", "/q"):
                click.echo("bye")
                break
            elif cmd == "/help":
                click.echo(CHAT_HELP)
                continue
            elif cmd == "/history":
                for t in session.turns:
                    click.echo(f"  {'you' if t.role == 'user' else 'dialogpaint'}: {t.text}")
                click.echo("  live edits: " + ("; ".join(f"{e.index}. {e.instruction} (v{e.version})"
                                                         for e in session.edits) or "none"))
                continue
            elif cmd == "/save":
                target = Path(arg) if arg else out / "current.png"
                try:
                    session.image.save(target)
                except (OSError, ValueError) as e:
                    click.echo(f"could not save to '{target}': {e}")
                    continue
                click.echo(f"saved {target}")
                continue
            elif cmd == "/undo":
                reply = session.undo()
            elif cmd == "/forget":
                reply = session.forget(int(arg) if arg.isdigit() else (arg or "last"))
            else:
                click.echo(f"unknown command {cmd}; /help lists them")
                continue
        else:
            try:
                reply = session.send(text)
            except DialogPaintError as e:
                click.echo(f"dialogpaint> sorry, that failed: {e}")
                continue
        save_new()
        click.echo(f"dialogpaint> {reply.message}")
        if reply.action in ("edit", "forget"):
            click.echo(f"  [version {reply.version}: {out / f'version-{reply.version:03d}.png'}]")
            click.echo("  live edits: " + ("; ".join(f"{e.index}. {e.instruction}" for e in session.edits) or "none"))


DEMO_SCRIPT = (
    "make the ball blue",
    "move it to the beach",
    "remove something",      # vague: the dialogue asks which thing
    "the house",
    "forget the ball",
)
PHOTO_SCRIPT = (            # a real photo (scikit-image's astronaut), the photo engine, no weights
    "make the orange suit blue",
    "make the background white",
    "add a hat",             # generative: refused without InstructPix2Pix weights, nothing changes
    "make it look like a polaroid",
    "forget the suit",       # the background and the polaroid look are re-applied on the original
)


def _run_script(session, script, out: Path, title: str, caption: str, note: str = "", tile: int = 192) -> None:
    """Play `script` through `session`; write every version, a storyboard PNG and an HTML page into `out`."""
    from .storyboard import storyboard, write_html

    out.mkdir(parents=True, exist_ok=True)
    session.image.save(out / "version-000.png")
    frames = [(session.image, "original: " + caption)]
    turns = [{"role": "assistant", "text": "Original: " + caption, "image": "version-000.png"}]
    for text in script:
        t0 = time.perf_counter()
        reply = session.send(text)
        name = f"version-{reply.version:03d}.png"
        session.image.save(out / name)
        click.echo(f"you> {text}\ndialogpaint> {reply.message}  ({time.perf_counter() - t0:.1f} s)")
        turns += [{"role": "user", "text": text},
                  {"role": "assistant", "text": reply.message, "image": name if reply.action in ("edit", "forget") else None}]
        if reply.action in ("edit", "forget"):
            said = f"you: {text}"
            if reply.instruction and reply.instruction != text:
                said += f" -> {reply.instruction}"
            elif reply.action == "forget":
                said += f" -> {reply.message}"
            frames.append((session.image, said))
    storyboard(frames, tile=tile).save(out / "storyboard.png")
    write_html(out / "index.html", title, turns, note)
    click.echo(f"wrote {out / 'storyboard.png'} and {out / 'index.html'}")


@cli.command()
@click.option("--out", "out_dir", default="out/demo", show_default=True, help="Folder for the storyboards and pages.")
@editing_options
def demo(out_dir, editor_name, model, dialogue_name, steps, text_guidance, image_guidance, scheduler, seed,
         device, dtype):
    """Run two scripted conversations, on a world scene and on a real photo; write storyboards and pages."""
    from .session import Session
    from .world import render
    from .world.scene import Scene, Thing

    scene = Scene(things=(Thing("ball", "red", "large", 1), Thing("house", "yellow", "medium", 2),
                          Thing("sun", "yellow", "medium", 3)), ground="grass", time="day")
    params = _params(steps, text_guidance, image_guidance, scheduler)
    ed = _editor(editor_name, model, device, dtype)
    note = ""
    if ed.name == "random":
        note = "This demo ran on the tiny RANDOM model (untrained weights): its edits are noise, not the requested changes."
    session = Session(render(scene, 128), editor=ed, dialogue=dialogue_name, caption=scene.caption(), seed=seed,
                      params=params)
    click.echo(f"Scene: {scene.caption()} [editor {ed.name}, dialogue {session.dialogue.name}]")
    _run_script(session, DEMO_SCRIPT, Path(out_dir), "DialogPaint demo", scene.caption(), note)
    if note:
        click.echo("Note: " + note)
    from .eval.photos import shipped_photos

    photo = next(iter(shipped_photos(("astronaut",))), None)
    if photo is None:
        click.echo("(no real photo installed for the photo demo: pip install scikit-image)")
        return
    caption = "a portrait of an astronaut in an orange suit"
    session = Session(photo.image, editor=ed, dialogue=dialogue_name, caption=caption, seed=seed, params=params)
    click.echo(f"Photo: {caption} [scikit-image's astronaut, editor {ed.name}]")
    _run_script(session, PHOTO_SCRIPT, Path(out_dir) / "photo", "DialogPaint demo: a real photo", caption, tile=256)


@cli.command()
def backends():
    """List the editors and dialogue backends."""
    from .dialogue import DIALOGUES
    from .editing import EDITORS

    click.echo("editors:")
    for s in EDITORS.values():
        click.echo(f"  {s.name:10s} {s.description}")
    click.echo("dialogue backends:")
    for s in DIALOGUES.values():
        click.echo(f"  {s.name:10s} {s.description}")


def _research_commands():
    from .cli_serve import serve
    from .cli_train import data, eval_group, train

    cli.add_command(serve)
    cli.add_command(data)
    cli.add_command(train)
    cli.add_command(eval_group)


_research_commands()


def main():
    cli(prog_name="dialogpaint")


if __name__ == "__main__":
    main()
