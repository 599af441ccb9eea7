"""Session: one conversation about one image, as an append-only event log.

The log holds turns, edits, forgets and settings. Everything else is derived from it: the live edits
(edits not forgotten, oldest first), the current image (the live edits applied in order to the
original, each with its own seed) and the settings later edits use (the last settings event, else the
ones the session was made with). Images are cached per chain of edits, so undo is free and forgetting an
earlier edit re-applies only the edits after it, on the image from before it.

Is: the state machine between the dialogue model and the editor. Is not: a dialogue model (it only
acts on Replies) or an editor (it only calls `edit`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable, Union

from PIL import Image

from .dialogue import ConversationState, ForgetTarget, LiveEdit, Reply, Turn, load_dialogue
from .editing.base import EditParams, check_seed, edit_with_note
from .errors import ConfigError, DialogPaintError, UnsupportedEditError
from .images import open_image, to_rgb


@dataclass(frozen=True)
class EditEvent:
    id: int              # 1, 2, 3 ... in the order edits were asked for; never reused
    instruction: str
    seed: int            # derived from the session seed and `id`: replay reproduces the image
    params: EditParams


@dataclass(frozen=True)
class ForgetEvent:
    edit_ids: tuple[int, ...]


@dataclass(frozen=True)
class SettingsEvent:
    """The settings of later edits from here on (all of them: the last one in the log is in force)."""

    seed: int            # the session seed later edits derive their seeds from
    params: EditParams   # steps, s_T, s_I, scheduler


Event = Union[Turn, EditEvent, ForgetEvent, SettingsEvent]


@dataclass(frozen=True)
class TurnResult:
    """What one turn added: the reply, the events appended to the log and the image versions made."""

    reply: Reply
    first_seq: int                  # position in the log of the first of `events`
    events: tuple[Event, ...]       # appended to the log by this turn, in order
    versions: tuple["Version", ...]  # image versions made by this turn (possibly none)


@dataclass(frozen=True)
class Version:
    id: int                     # 0 is the original image
    edit_ids: tuple[int, ...]   # the chain of edits that produced it
    image: Image.Image


def live_edit_events(log: list[Event]) -> list[EditEvent]:
    """The edits of `log` that no forget has removed, oldest first."""
    gone = {i for e in log if isinstance(e, ForgetEvent) for i in e.edit_ids}
    return [e for e in log if isinstance(e, EditEvent) and e.id not in gone]


def event_to_dict(e: Event) -> dict:
    """One log event as plain JSON-able data (for stores; `event_from_dict` reads it back)."""
    if isinstance(e, Turn):
        return {"type": "turn", "role": e.role, "text": e.text, "action": e.action, "instruction": e.instruction}
    if isinstance(e, EditEvent):
        return {"type": "edit", "id": e.id, "instruction": e.instruction, "seed": e.seed,
                "params": asdict(e.params)}
    if isinstance(e, SettingsEvent):
        return {"type": "settings", "seed": e.seed, "params": asdict(e.params)}
    return {"type": "forget", "edit_ids": list(e.edit_ids)}


def event_from_dict(d: dict) -> Event:
    if d["type"] == "turn":
        return Turn(d["role"], d["text"], d.get("action"), d.get("instruction"))
    if d["type"] == "edit":
        return EditEvent(d["id"], d["instruction"], d["seed"], EditParams(**d["params"]))
    if d["type"] == "settings":
        return SettingsEvent(d["seed"], EditParams(**d["params"]))
    return ForgetEvent(tuple(d["edit_ids"]))


def edit_seed(session_seed: int, edit_id: int) -> int:
    """The seed of the `edit_id`-th edit of a session: stable, and independent across edits."""
    digest = hashlib.sha256(f"dialogpaint:{session_seed}:{edit_id}".encode()).digest()
    return int.from_bytes(digest[:4], "little") & 0x7FFFFFFF


_STOP = {"the", "a", "an", "make", "it", "to", "of", "and", "add", "remove", "change", "turn", "into", "in",
         "on", "with", "edit", "please", "that", "this", "one"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP}


class Session:
    """Edit an image by conversation. See DESIGN.md for the public surface."""

    def __init__(self, image: Image.Image | str | Path, *, editor=None, dialogue=None, caption: str | None = None,
                 seed: int = 0, params: EditParams | None = None):
        from .editing import load_editor

        if isinstance(image, (str, Path)):
            image = open_image(image)
        elif not isinstance(image, Image.Image):
            raise ConfigError("Session needs a PIL image or a path to an image file")
        self.editor = load_editor(editor) if isinstance(editor, str) else (editor or load_editor("auto"))
        self.dialogue = load_dialogue(dialogue) if isinstance(dialogue, str) or dialogue is None else dialogue
        self.caption = caption
        self._initial = SettingsEvent(check_seed(seed), params or EditParams())  # in force until the log says
        self.log: list[Event] = []
        self._versions: list[Version] = [Version(0, (), to_rgb(image))]
        self._by_chain: dict[tuple[int, ...], int] = {(): 0}

    @classmethod
    def restore(cls, log: list[Event], versions: list[Version], **kwargs) -> "Session":
        """A session from a stored log and its image versions (version 0, the original, first)."""
        if not versions or versions[0].id != 0 or versions[0].edit_ids:
            raise ConfigError("a stored session needs its original image as version 0")
        session = cls(versions[0].image, **kwargs)
        session.log = list(log)
        session._versions = list(versions)
        session._by_chain = {v.edit_ids: v.id for v in versions}
        return session

    # derived state ----------------------------------------------------------------------------
    def _settings(self) -> SettingsEvent:
        return next((e for e in reversed(self.log) if isinstance(e, SettingsEvent)), self._initial)

    @property
    def seed(self) -> int:
        """The session seed later edits derive their seeds from (`configure` changes it)."""
        return self._settings().seed

    @property
    def params(self) -> EditParams:
        """Steps, s_T, s_I and scheduler of later edits (`configure` changes them)."""
        return self._settings().params

    @property
    def settings(self) -> dict:
        """{"steps", "text_guidance", "image_guidance", "seed"} in force for the next edit."""
        p = self.params
        return {"steps": p.steps, "text_guidance": p.text_guidance, "image_guidance": p.image_guidance,
                "seed": self.seed}

    def _edit_events(self) -> list[EditEvent]:
        return [e for e in self.log if isinstance(e, EditEvent)]

    def _live_events(self) -> list[EditEvent]:
        return live_edit_events(self.log)

    @property
    def edits(self) -> list[LiveEdit]:
        """Live edits, oldest first, each with the version it produced in the current chain."""
        out, chain = [], ()
        for i, e in enumerate(self._live_events(), 1):
            chain = chain + (e.id,)
            out.append(LiveEdit(i, e.id, e.instruction, e.seed, self._by_chain.get(chain, -1)))
        return out

    @property
    def version(self) -> int:
        """Id of the current image version."""
        return self._by_chain[tuple(e.id for e in self._live_events())]

    @property
    def image(self) -> Image.Image:
        return self._versions[self.version].image

    @property
    def original(self) -> Image.Image:
        return self._versions[0].image

    @property
    def versions(self) -> list[Version]:
        """Every image version made so far (forgotten ones too), oldest first."""
        return list(self._versions)

    def image_of(self, version: int) -> Image.Image:
        if not 0 <= version < len(self._versions):
            raise ConfigError(f"there is no version {version}; versions are 0 to {len(self._versions) - 1}")
        return self._versions[version].image

    @property
    def turns(self) -> list[Turn]:
        return [e for e in self.log if isinstance(e, Turn)]

    def instruction_of(self, version: int) -> str | None:
        """The instruction of the edit that made `version` (None for the original)."""
        ids = self._versions[version].edit_ids
        return next((e.instruction for e in self._edit_events() if e.id == ids[-1]), None) if ids else None

    def state(self, *new_turns: Turn) -> ConversationState:
        """What a dialogue model sees: the turns (plus `new_turns`), the live edits, the caption."""
        return ConversationState(turns=tuple(self.turns) + new_turns, edits=tuple(self.edits), caption=self.caption)

    # rendering ---------------------------------------------------------------------------------
    def _render(self, chain: list[EditEvent], callback=None, notes: list[str] | None = None) -> int:
        """Version id of the image made by applying `chain` to the original (cached per prefix).

        What the editor says it did for each newly made image is appended to `notes`."""
        ids: tuple[int, ...] = ()
        version = 0
        for e in chain:
            ids = ids + (e.id,)
            if ids in self._by_chain:
                version = self._by_chain[ids]
                continue
            p = e.params
            made = edit_with_note(self.editor, self._versions[version].image, e.instruction, steps=p.steps,
                                  text_guidance=p.text_guidance, image_guidance=p.image_guidance,
                                  seed=e.seed, scheduler=p.scheduler, callback=callback)
            if notes is not None and made.note:
                notes.append(made.note)
            version = len(self._versions)
            self._versions.append(Version(version, ids, made.image))
            self._by_chain[ids] = version
        return version

    # actions -----------------------------------------------------------------------------------
    def send(self, text: str, *, callback: Callable[[int, int], None] | None = None) -> Reply:
        """One user turn: the dialogue model replies, the session acts on the reply."""
        return self.apply(text, self.respond(text), callback=callback)

    def respond(self, text: str) -> Reply:
        """What the dialogue model answers to `text`, without acting on it (`apply` does)."""
        if not isinstance(text, str):
            raise ConfigError("a message must be text")
        return self.dialogue.respond(self.state(Turn("user", text.strip())))

    def needs_render(self, reply: Reply) -> bool:
        """Whether acting on `reply` may run the editor (an edit, or a forget that re-applies later edits)."""
        return reply.action in ("edit", "forget")

    def apply(self, text: str, reply: Reply, *, callback: Callable[[int, int], None] | None = None) -> Reply:
        """Log the user's `text` and act on the dialogue's `reply` to it (what `send` does in one go)."""
        return self.turn(text, reply, callback=callback).reply

    def edit(self, instruction: str, *, callback: Callable[[int, int], None] | None = None) -> Reply:
        """Apply an explicit instruction, bypassing the dialogue model."""
        if not isinstance(instruction, str) or not instruction.strip():
            raise ConfigError("the instruction is empty")
        text = instruction.strip()
        return self.turn(text, Reply("edit", f"Editing: {text}", instruction=text), callback=callback).reply

    def undo(self) -> Reply:
        """Forget the last live edit."""
        return self.forget("last")

    def forget(self, which: int | str = "last", *, callback: Callable[[int, int], None] | None = None) -> Reply:
        """Forget the last edit ("last"), all ("all"), the n-th live edit (int), or one named by words."""
        return self.turn(None, self.forget_reply(which), callback=callback).reply

    @staticmethod
    def forget_reply(which: int | str) -> Reply:
        """The reply that forgets `which` ("last", "all", the n-th live edit, or words of one)."""
        target = ForgetTarget.of(which)
        if target is None:
            raise ConfigError(f"say which edit to forget: 'last', 'all', a number or words of it, not {which!r}")
        return Reply("forget", "", forget=target)

    def settings_event(self, *, steps: int | None = None, text_guidance: float | None = None,
                       image_guidance: float | None = None, seed: int | None = None,
                       scheduler: str | None = None) -> SettingsEvent | None:
        """The event that changes the given settings (None ones stay), or None when nothing changes.

        Raises `ConfigError` for a value out of range; logs nothing (`configure` and `turn` do)."""
        now = self._settings()
        new = SettingsEvent(now.seed if seed is None else check_seed(seed),
                            now.params.replace(steps=steps, text_guidance=text_guidance,
                                               image_guidance=image_guidance, scheduler=scheduler))
        return None if new == now else new

    def configure(self, **settings) -> SettingsEvent | None:
        """Change the settings of later edits (keywords of `settings_event`): logs and returns the
        event, or None when nothing changes."""
        event = self.settings_event(**settings)
        if event is not None:
            self.log.append(event)
        return event

    def turn(self, text: str | None, reply: Reply, *, settings: SettingsEvent | None = None,
             callback: Callable[[int, int], None] | None = None) -> TurnResult:
        """Log the user's `text` (None: a button, no words) and act on `reply`, with `settings` (from
        `settings_event`) in force from this turn on. Returns what the turn added (nothing on an error)."""
        events: list[Event] = [settings] if settings is not None else []
        if text is not None:
            events.append(Turn("user", text.strip()))
        message = reply.message
        if reply.forget is not None:
            forget, note = self._resolve_forget(reply.forget)
            if forget is None and reply.action == "forget":
                return self._commit(events, replace(reply, action="chat", message=note))
            if forget is not None:
                events.append(forget)
                message = note if reply.action == "forget" else message
        if reply.action == "edit":
            n = len(self._edit_events()) + 1
            now = settings or self._settings()
            events.append(EditEvent(n, reply.instruction.strip(), edit_seed(now.seed, n), now.params))
        return self._commit(events, replace(reply, message=message), callback)

    def _commit(self, events: list[Event], reply: Reply, callback=None) -> TurnResult:
        """Render what the new events imply, then append them (nothing is logged if editing fails).

        An edit no editor here can do (`UnsupportedEditError`) is answered with the editor's reason:
        the user's turn and that answer are logged, the edit (and a forget that came with it) is not."""
        notes: list[str] = []
        n_versions = len(self._versions)
        try:
            version = self._render(live_edit_events(self.log + events), callback, notes)
        except BaseException as e:
            self._drop_versions_from(n_versions)  # versions stay numbered exactly as they are stored
            if not isinstance(e, UnsupportedEditError):
                raise
            events = [ev for ev in events if isinstance(ev, (Turn, SettingsEvent))]
            reply = replace(reply, action="chat", message=str(e), instruction=None, forget=None)
            version = self.version
        else:
            if reply.action == "edit" and notes:
                said = reply.message.rstrip()
                reply = replace(reply, message=f"{said}{'' if said.endswith(('.', '!', '?')) else '.'} {notes[-1]}")
        reply = replace(reply, version=version)
        first = len(self.log)
        self.log.extend(events)
        self.log.append(Turn("assistant", reply.message, reply.action, reply.instruction))
        return TurnResult(reply, first, tuple(self.log[first:]), tuple(self._versions[n_versions:]))

    def _drop_versions_from(self, n: int) -> None:
        for v in self._versions[n:]:
            self._by_chain.pop(v.edit_ids, None)
        del self._versions[n:]

    def _resolve_forget(self, target: ForgetTarget) -> tuple[ForgetEvent | None, str]:
        live = self._live_events()
        if not live:
            return None, "There is nothing to forget yet: the image is still the original."
        if target.kind == "all":
            return ForgetEvent(tuple(e.id for e in live)), f"Forgot all {len(live)} edit(s): back to the original image."
        if target.kind == "last":
            e = live[-1]
            return ForgetEvent((e.id,)), f"Forgot the last edit ('{e.instruction}')."
        if target.index is not None:
            if not 1 <= target.index <= len(live):
                return None, f"There is no edit {target.index}; {self._listing(live)}"
            e = live[target.index - 1]
        else:
            want = _words(target.words or "")
            scored = [(len(want & _words(e.instruction)), i, e) for i, e in enumerate(live)]
            best = max(scored, key=lambda s: (s[0], s[1]))
            if not want or best[0] == 0:
                return None, f"I couldn't find an edit about '{target.words}'; {self._listing(live)}"
            e = best[2]
        later = len(live) - live.index(e) - 1
        note = f"Forgot '{e.instruction}'."
        if later:
            note += f" Re-applied the {later} later edit(s) on the image from before it."
        return ForgetEvent((e.id,)), note

    @staticmethod
    def _listing(live: list[EditEvent]) -> str:
        return "the live edits are: " + "; ".join(f"{i}. {e.instruction}" for i, e in enumerate(live, 1))

    # output ------------------------------------------------------------------------------------
    def history(self) -> list[dict]:
        """The turns as plain dicts (role, text, action, instruction)."""
        return [{"role": t.role, "text": t.text, "action": t.action, "instruction": t.instruction} for t in self.turns]

    def save(self, folder: str | Path) -> Path:
        """Write every version as PNG and the log as JSON into `folder`; returns the folder."""
        out = Path(folder)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DialogPaintError(f"cannot create '{out}': {e.strerror or e}") from None
        for v in self._versions:
            v.image.save(out / f"version-{v.id:03d}.png")
        doc = {"seed": self.seed, "caption": self.caption, "current_version": self.version,
               "edits": [e.__dict__ for e in self.edits], "turns": self.history()}
        (out / "session.json").write_text(json.dumps(doc, indent=2))
        return out
