"""Dialogue dataset construction: the seed library, the format, teachers, the resumable split build."""

import json

import pytest
from click.testing import CliRunner

from dialogpaint.cli import cli
from dialogpaint.data.dialogue_format import (FormatError, format_dialogue, parse_dialogues, seed_library,
                                              validate)
from dialogpaint.data.dialogue_teachers import OpenAIDialogueTeacher, ProceduralTeacher, self_instruct_prompt
from dialogpaint.data.dialogues import build_dialogues, read_captions, scene_captions
from dialogpaint.errors import ConfigError


def test_seed_library_is_large_varied_and_valid():
    seeds = seed_library()
    assert len(seeds) >= 100
    assert all(validate(d) is None for d in seeds)
    actions = [t["action"] for d in seeds for t in d["turns"] if t["role"] == "assistant"]
    for a in ("edit", "ask", "forget", "chat"):
        assert actions.count(a) >= 15, a
    assert sum(1 for d in seeds for t in d["turns"] if t.get("forget") == "last" and t["action"] == "edit") >= 5
    assert sum(1 for d in seeds if len(d["turns"]) >= 4) >= 90      # at least two rounds
    assert sum(1 for d in seeds if len(d["turns"]) >= 6) >= 20      # three or more
    assert len({d["caption"] for d in seeds}) == len(seeds)


def test_format_round_trips_and_rejects_malformed_lines():
    d = seed_library()[8]
    assert parse_dialogues(format_dialogue(d)) == [d]
    with pytest.raises(FormatError):
        parse_dialogues("## a cat\nU: hi\nA: dance | no such action")
    with pytest.raises(FormatError):
        parse_dialogues("## a cat\nU: hi\nA: chat")          # no message


@pytest.mark.parametrize("text, reason", [
    ("## a cat\nU: forget it\nA: forget last | ok", "nothing to forget"),
    ("## a cat\nU: change it\nA: ask | What should change.", "question mark"),
    ("## a cat\nA: chat | hi\nU: hello", "alternate"),
    ("## a cat\nU: make it red\nA: edit: make the cat red | ok\nU: forget the third\nA: forget 3 | ok", "does not exist"),
])
def test_validation_names_the_problem(text, reason):
    assert reason in validate(parse_dialogues(text)[0])


def test_procedural_dialogues_are_valid_and_grounded_in_the_caption():
    import random

    t = ProceduralTeacher()
    caption = "a red car and a small tree on the beach"
    for i in range(200):
        d = parse_dialogues(t.write(caption, [], random.Random(i)))[0]
        assert validate(d) is None, format_dialogue(d)
    asks = [parse_dialogues(t.write(caption, [], random.Random(i)))[0] for i in range(60)]
    questions = [x["text"] for d in asks for x in d["turns"] if x.get("action") == "ask"]
    assert questions and any("car" in q or "tree" in q for q in questions)


def test_self_instruct_prompt_holds_k_examples_and_the_caption():
    seeds = seed_library()[:20]
    msgs = self_instruct_prompt("a blue boat", seeds)
    assert msgs[-1]["content"].count("## ") == 21 and msgs[-1]["content"].rstrip().endswith("## a blue boat")


def test_build_splits_in_paper_proportions_is_deterministic_and_resumes(tmp_path):
    stats = build_dialogues(tmp_path / "a", scene_captions(0), 200, teacher=ProceduralTeacher(), progress=False)
    assert stats["kept"] == 200 and stats["splits"] == {"validation": 10, "test": 10, "train": 180}
    ids = {n: {json.loads(x)["id"] for x in (tmp_path / "a" / f"{n}.jsonl").read_text().splitlines()}
           for n in ("train", "validation", "test")}
    assert not (ids["train"] & ids["test"]) and not (ids["train"] & ids["validation"])
    # a run killed mid-write: half the file and a torn last line; running again ends identical
    full = (tmp_path / "a" / "dialogues.jsonl").read_bytes()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "dialogues.jsonl").write_bytes(full[:len(full) // 2])
    build_dialogues(tmp_path / "b", scene_captions(0), 200, teacher=ProceduralTeacher(), progress=False)
    assert (tmp_path / "b" / "dialogues.jsonl").read_bytes() == full
    assert (tmp_path / "b" / "test.jsonl").read_text() == (tmp_path / "a" / "test.jsonl").read_text()


def test_openai_teacher_through_a_fake_endpoint_dedupes_and_rejects(tmp_path, chat_endpoint):
    caps = tmp_path / "caps.txt"
    caps.write_text("a cat on a mat\na cat on a mat\na dog in a park\n")
    chat_endpoint.reply = "U: make it blue\nA: edit: make the cat blue | Making the cat blue."
    stats = build_dialogues(tmp_path / "o", read_captions(caps), 10,
                            teacher=OpenAIDialogueTeacher(chat_endpoint.url, "teacher"), k_examples=3, progress=False)
    assert stats["kept"] == 2 and stats["rejected"] == {"duplicate": 1} and not stats["complete"]
    prompt = chat_endpoint.seen[0][2]["messages"][-1]["content"]
    assert prompt.count("## ") == 4 and "a cat on a mat" in prompt
    chat_endpoint.reply = "I'd rather not."
    stats = build_dialogues(tmp_path / "p", read_captions(caps), 10,
                            teacher=OpenAIDialogueTeacher(chat_endpoint.url, "teacher"), progress=False)
    assert stats["kept"] == 0 and stats["rejected"]["malformed"] == 3


def test_caption_readers(tmp_path):
    (tmp_path / "c.jsonl").write_text('{"caption": "a red bus"}\n\n{"caption": "two cats"}\n')
    (tmp_path / "c.json").write_text(json.dumps({"annotations": [{"caption": "A man  on a horse. "}]}))
    assert read_captions(tmp_path / "c.jsonl") == ["a red bus", "two cats"]
    assert read_captions(tmp_path / "c.json") == ["A man on a horse."]
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(ConfigError, match="COCO"):
        read_captions(tmp_path / "bad.json")
    with pytest.raises(ConfigError, match="does not exist"):
        read_captions(tmp_path / "missing.txt")


def test_cli_data_dialogues(tmp_path):
    r = CliRunner().invoke(cli, ["data", "dialogues", "--out", str(tmp_path / "d"), "-n", "40"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output[r.output.index('{"kept"'):].splitlines()[0])["splits"] == {"validation": 2, "test": 2, "train": 36}
    r = CliRunner().invoke(cli, ["data", "dialogues", "--out", str(tmp_path / "e"), "--teacher", "openai"],
                           env={"OPENAI_BASE_URL": "", "OPENAI_MODEL": ""})
    assert r.exit_code == 2 and "needs --base-url" in r.output
