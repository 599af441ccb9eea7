"""Session: event log, derived state, undo/forget/replay, per-edit seeds."""

import numpy as np
import pytest
from PIL import Image

from dialogpaint import Session
from dialogpaint.session import edit_seed


class StripeEditor:
    """A deterministic fake editor: each edit paints one row band, its colour from (instruction, seed).

    The output depends on the input image, the instruction and the seed, so replay order matters."""

    name = "stripe"

    def __init__(self):
        self.calls = []

    def edit(self, image, instruction, *, steps=20, text_guidance=7.5, image_guidance=1.5, seed=0, scheduler=None,
             callback=None):
        self.calls.append((instruction, seed))
        a = np.asarray(image).copy()
        h = abs(hash(instruction)) % 1000
        band = len(self.calls) % 8
        a[band * 4:(band + 1) * 4] = (a[band * 4:(band + 1) * 4].astype(int) + [h % 251, seed % 253, 17]) % 256
        return Image.fromarray(a.astype(np.uint8))


@pytest.fixture
def session(scene):
    return Session(scene, editor="identity", dialogue="direct", seed=5)


def test_edit_actions_and_live_edits(session):
    r = session.send("make the ball red")
    assert r.action == "edit" and r.instruction == "make the ball red" and r.version == 1
    session.send("add a rainbow")
    assert [e.instruction for e in session.edits] == ["make the ball red", "add a rainbow"]
    assert [e.index for e in session.edits] == [1, 2]
    assert session.edits[1].seed == edit_seed(5, 2)


def test_seeds_differ_per_edit_and_session():
    assert edit_seed(0, 1) != edit_seed(0, 2)
    assert edit_seed(0, 1) != edit_seed(1, 1)
    assert edit_seed(3, 4) == edit_seed(3, 4)


def test_forget_middle_by_name_replays_later_edits(scene):
    ed = StripeEditor()
    s = Session(scene, editor=ed, dialogue="direct", seed=1)
    for t in ["make the ball red", "add a rainbow", "turn the sky orange"]:
        s.send(t)
    before = s.image
    r = s.send("forget the rainbow")
    assert r.action == "forget"
    assert [e.instruction for e in s.edits] == ["make the ball red", "turn the sky orange"]
    # the later edit was re-applied, with its own seed, on the image from before the rainbow
    assert ed.calls[-1] == ("turn the sky orange", edit_seed(1, 3))
    assert not np.array_equal(np.asarray(s.image), np.asarray(before))
    assert s.version == len(s.versions) - 1


def test_forget_replay_equals_fresh_session_of_remaining_edits(scene):
    """Forgetting edit 2 of 3 gives what a session that never had it would show for the same seeds."""
    class PureEditor:
        name = "pure"

        def edit(self, image, instruction, *, seed=0, **kw):
            a = np.asarray(image).astype(int)
            return Image.fromarray(((a * 3 + len(instruction) * 7 + seed) % 256).astype(np.uint8))

    s = Session(scene, editor=PureEditor(), dialogue="direct", seed=9)
    for t in ["make the ball red", "add a rainbow", "turn the sky orange"]:
        s.send(t)
    s.send("forget the rainbow")
    ed = PureEditor()
    img = ed.edit(scene, "make the ball red", seed=edit_seed(9, 1))
    img = ed.edit(img, "turn the sky orange", seed=edit_seed(9, 3))
    assert np.array_equal(np.asarray(s.image), np.asarray(img))
    s.send("undo")
    assert np.array_equal(np.asarray(s.image), np.asarray(ed.edit(scene, "make the ball red", seed=edit_seed(9, 1))))
    s.send("start over")
    assert np.array_equal(np.asarray(s.image), np.asarray(scene))


def test_forget_by_index_and_all(session):
    for t in ["a", "b", "c"]:
        session.edit(f"make it {t}")
    session.forget(1)
    assert [e.instruction for e in session.edits] == ["make it b", "make it c"]
    r = session.send("forget everything")
    assert r.action == "forget" and session.edits == [] and session.version == 0


def test_undo_is_a_cache_hit(scene):
    ed = StripeEditor()
    s = Session(scene, editor=ed, dialogue="direct")
    s.send("make the ball red")
    s.send("add a rainbow")
    n = len(ed.calls)
    s.send("undo")
    assert len(ed.calls) == n  # the earlier version is reused, not recomputed
    assert s.version == 1


def test_nothing_to_forget_is_polite(session):
    r = session.send("undo")
    assert r.action == "chat" and "nothing to forget" in r.message
    r = session.send("forget the rainbow")
    assert r.action == "chat"
    session.send("make the ball red")
    r = session.send("forget the rainbow")
    assert r.action == "chat" and "couldn't find" in r.message and "make the ball red" in r.message
    r = session.forget(7)
    assert r.action == "chat" and "no edit 7" in r.message
    assert len(session.edits) == 1


def test_empty_message_asks(session):
    r = session.send("   ")
    assert r.action == "ask" and session.edits == [] and session.version == 0


def test_failed_edit_logs_nothing(scene):
    from dialogpaint.errors import DialogPaintError

    class Boom:
        name = "boom"

        def edit(self, *a, **k):
            raise DialogPaintError("no")

    s = Session(scene, editor=Boom(), dialogue="direct")
    with pytest.raises(DialogPaintError):
        s.send("make it red")
    assert s.log == [] and s.edits == []


def test_history_and_save(session, tmp_path):
    session.send("make the ball red")
    session.send("undo")
    h = session.history()
    assert [t["role"] for t in h] == ["user", "assistant", "user", "assistant"]
    out = session.save(tmp_path / "s")
    assert (out / "version-000.png").exists() and (out / "version-001.png").exists()
    assert (out / "session.json").exists()


def test_revise_reply_forgets_then_edits(scene):
    """A backend's correction (forget + edit in one reply) works without session changes."""
    from dialogpaint.dialogue import ForgetTarget, Reply

    class Reviser:
        name = "reviser"

        def respond(self, state):
            text = state.last_user_text
            if text.startswith("no,"):
                return Reply("edit", "Changed it.", instruction=text[3:].strip(), forget=ForgetTarget("last"))
            return Reply("edit", "ok", instruction=text)

    s = Session(scene, editor="identity", dialogue=Reviser())
    s.send("make the jacket red")
    s.send("no, make the jacket blue")
    assert [e.instruction for e in s.edits] == ["make the jacket blue"]


def test_settings_are_events_restored_with_the_log(scene):
    from dialogpaint.errors import ConfigError
    from dialogpaint.session import SettingsEvent, event_from_dict, event_to_dict

    s = Session(scene, editor="identity", dialogue="direct", seed=5)
    assert s.settings == {"steps": 20, "text_guidance": 7.5, "image_guidance": 1.5, "seed": 5}
    for bad in ({"seed": 2**32}, {"seed": -1}, {"steps": 0}, {"text_guidance": 31.0}, {"image_guidance": float("nan")}):
        with pytest.raises(ConfigError):
            s.configure(**bad)
    assert s.log == []                                   # a refused setting logs nothing
    assert s.configure(steps=3) is not None and s.configure(steps=3) is None   # unchanged: no event
    s.send("make it red")
    s.configure(seed=9, text_guidance=2.0)
    s.send("add a rainbow")
    first, second = [e for e in s.log if hasattr(e, "params") and not isinstance(e, SettingsEvent)]
    assert (first.params.steps, first.seed) == (3, edit_seed(5, 1))
    assert (second.params.steps, second.params.text_guidance, second.seed) == (3, 2.0, edit_seed(9, 2))
    log = [event_from_dict(event_to_dict(e)) for e in s.log]
    back = Session.restore(log, s.versions, editor="identity", dialogue="direct", seed=5)
    assert back.settings == s.settings == {"steps": 3, "text_guidance": 2.0, "image_guidance": 1.5, "seed": 9}


def test_a_turn_reports_what_it_added_and_a_failed_one_adds_nothing(scene):
    from dialogpaint.dialogue import Reply
    from dialogpaint.errors import DialogPaintError

    class Failing:
        name = "failing"

        def edit(self, image, instruction, **kw):
            if "fail" in instruction:
                raise DialogPaintError("cannot")
            return image.copy()

    s = Session(scene, editor=Failing(), dialogue="direct")
    r = s.turn("make it red", Reply("edit", "ok", instruction="make it red"), settings=s.settings_event(steps=4))
    assert r.first_seq == 0 and r.events == tuple(s.log) and [v.id for v in r.versions] == [1]
    n_log, n_versions = len(s.log), len(s.versions)
    with pytest.raises(DialogPaintError):
        s.turn("fail now", Reply("edit", "ok", instruction="fail now"), settings=s.settings_event(steps=6))
    assert (len(s.log), len(s.versions), s.params.steps) == (n_log, n_versions, 4)
    r = s.turn(None, Session.forget_reply("last"))
    assert r.first_seq == n_log and r.versions == () and s.version == 0
