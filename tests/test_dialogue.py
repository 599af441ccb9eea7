import pytest

from dialogpaint import load_dialogue
from dialogpaint.dialogue import ConversationState, ForgetTarget, Reply, Turn
from dialogpaint.dialogue.intents import parse_forget
from dialogpaint.errors import ConfigError


@pytest.mark.parametrize("text,target", [
    ("undo", ForgetTarget("last")),
    ("Undo that!", ForgetTarget("last")),
    ("forget it", ForgetTarget("last")),
    ("forget the last edit", ForgetTarget("last")),
    ("go back", ForgetTarget("last")),
    ("forget everything", ForgetTarget("all")),
    ("start over", ForgetTarget("all")),
    ("undo all the edits", ForgetTarget("all")),
    ("back to the original", ForgetTarget("all")),
    ("forget the rainbow", ForgetTarget("one", words="rainbow")),
    ("forget about the red hat", ForgetTarget("one", words="red hat")),
    ("forget edit 2", ForgetTarget("one", index=2)),
    ("forget #3", ForgetTarget("one", index=3)),
    ("forget the second edit", ForgetTarget("one", index=2)),
    ("undo the snow", ForgetTarget("one", words="snow")),
])
def test_parse_forget(text, target):
    assert parse_forget(text) == target


@pytest.mark.parametrize("text", ["remove the rainbow", "make it red", "add a forget-me-not", "", "turn back the clock"])
def test_not_forget(text):
    assert parse_forget(text) is None


def test_direct_backend():
    d = load_dialogue("direct")
    st = ConversationState(turns=(Turn("user", "make the  ball red"),))
    r = d.respond(st)
    assert r == Reply("edit", "Editing: make the ball red", instruction="make the ball red")
    assert d.respond(ConversationState(turns=(Turn("user", ""),))).action == "ask"
    assert d.respond(ConversationState(turns=(Turn("user", "undo"),))).action == "forget"


def test_unknown_backend_lists_known():
    with pytest.raises(ConfigError, match="known: .*direct"):
        load_dialogue("nope")


def test_reply_validation():
    with pytest.raises(ValueError):
        Reply("edit", "x")
    with pytest.raises(ValueError):
        Reply("dance", "x")
    with pytest.raises(ValueError):
        Reply("forget", "x")
