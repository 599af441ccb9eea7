"""Dialogue fine-tuning on tiny random chat models built offline, and the dialogue benchmark."""

import json
import math
from dataclasses import replace

import pytest
from click.testing import CliRunner
from PIL import Image

from dialogpaint.cli import cli
from dialogpaint.data.dialogue_teachers import ProceduralTeacher
from dialogpaint.data.dialogues import build_dialogues, scene_captions
from dialogpaint.dialogue import load_dialogue
from dialogpaint.dialogue.random_chat import byte_tokenizer, make_random_chat_model
from dialogpaint.editing.base import IdentityEditor
from dialogpaint.session import Session
from dialogpaint.train.dialogue import DialogueTrainConfig, dialogue_examples, encode, train_dialogue


@pytest.fixture(scope="module")
def dialogues(tmp_path_factory):
    out = tmp_path_factory.mktemp("dlg")
    build_dialogues(out, scene_captions(3), 60, teacher=ProceduralTeacher(), progress=False)
    return out


def test_examples_show_what_the_backend_sees_with_live_edits():
    d = {"caption": "a red car", "turns": [
        {"role": "user", "text": "make the car blue"},
        {"role": "assistant", "action": "edit", "instruction": "make the car blue", "text": "Blue it is."},
        {"role": "user", "text": "forget that"},
        {"role": "assistant", "action": "forget", "forget": "last", "text": "Forgot it."}]}
    (m1, a1), (m2, a2) = dialogue_examples(d)
    assert m1[0]["role"] == "system" and "a red car" in m1[0]["content"] and "Edits so far" not in m1[0]["content"]
    assert m1[-1] == {"role": "user", "content": "make the car blue"}
    assert json.loads(a1) == {"action": "edit", "message": "Blue it is.", "instruction": "make the car blue"}
    assert "Edits so far: make the car blue" in m2[0]["content"]
    assert json.loads(m2[2]["content"])["action"] == "edit" and m2[-1]["content"] == "forget that"
    assert json.loads(a2)["forget"] == "last"


def test_encode_puts_the_loss_on_the_answer_only():
    tok = byte_tokenizer()
    msgs = [{"role": "system", "content": "s" * 50}, {"role": "user", "content": "make it red"}]
    row = encode(tok, msgs, '{"action": "chat"}', max_len=40, seq2seq=False)
    assert len(row["input_ids"]) == len(row["labels"]) <= 40
    answer = [t for t, lab in zip(row["input_ids"], row["labels"]) if lab != -100]
    assert tok.decode(answer) == '{"action": "chat"}<|im_end|>'     # the answer survives, the prompt is cut


@pytest.mark.parametrize("kind, lora", [("causal", False), ("seq2seq", True)])
def test_train_reports_perplexity_and_exports_a_backend(tmp_path, dialogues, kind, lora):
    base = make_random_chat_model(tmp_path / "base", kind)
    cfg = DialogueTrainConfig(data=str(dialogues), model=str(base), lr=3e-3, batch_size=4, max_steps=6, eval_every=3,
                              eval_examples=16, lora=lora, max_len=256)
    m = train_dialogue(cfg, tmp_path / "run", progress=False)
    assert m["steps"] == 6 and math.isfinite(m["test_perplexity"]) and m["test_tokens"] > 100
    assert m["best_val_loss"] < m["val_loss_before"]            # six Adam steps already help
    meta = json.loads((tmp_path / "run" / "model" / "dialogpaint.json").read_text())
    assert meta["config"]["lora"] is lora and meta["metrics"]["test_perplexity"] == m["test_perplexity"]
    # the exported folder is a dialogue backend that drives a Session (the rules guard its output)
    s = Session(Image.new("RGB", (16, 16)), editor=IdentityEditor(), dialogue=load_dialogue(str(tmp_path / "run" / "model")))
    assert s.send("make the car blue").instruction == "make the car blue"
    assert s.send("change the colour").action == "ask"


def test_training_resumes_and_stops_early(tmp_path, dialogues):
    base = make_random_chat_model(tmp_path / "base", "causal")
    cfg = DialogueTrainConfig(data=str(dialogues), model=str(base), lr=3e-3, batch_size=2, max_steps=4, eval_every=2,
                              eval_examples=8, max_len=128)
    train_dialogue(cfg, tmp_path / "run", progress=False)
    m = train_dialogue(replace(cfg, max_steps=8), tmp_path / "run", progress=False)
    assert m["steps"] == 8 and [e["step"] for e in m["log"]] == [0, 2, 4, 6, 8]
    # lr 0: after the first evaluation (the first best) none improves: it stops `patience` evaluations later
    cfg2 = DialogueTrainConfig(data=str(dialogues), model=str(base), lr=0.0, batch_size=2, max_steps=50, eval_every=1,
                               eval_examples=4, patience=2, max_len=128)
    m2 = train_dialogue(cfg2, tmp_path / "run2", progress=False)
    assert m2["stopped"].startswith("early stop") and m2["steps"] == 3


def test_cli_train_dialogue(tmp_path, dialogues):
    base = make_random_chat_model(tmp_path / "base", "causal")
    r = CliRunner().invoke(cli, ["train", "dialogue", "--data", str(dialogues), "--out", str(tmp_path / "run"),
                                 "--model", str(base), "--max-steps", "2", "--eval-every", "1", "--max-len", "128"])
    assert r.exit_code == 0, r.output
    assert "test perplexity" in r.output and (tmp_path / "run" / "model" / "config.json").is_file()
    r = CliRunner().invoke(cli, ["train", "dialogue", "--data", str(tmp_path / "none"), "--out", str(tmp_path / "x"),
                                 "--model", str(base)])
    assert r.exit_code == 2 and "dialogpaint data dialogues" in r.output


def test_rules_pass_the_dialogue_benchmark(tmp_path):
    from dialogpaint.eval.dialogue import load_cases, run_backend

    cases = load_cases()
    assert len(cases) >= 60 and all(len(c["turns"]) >= 2 for c in cases)
    s = run_backend(load_dialogue("rules"), cases)
    assert s.turn_accuracy >= 0.90, s.failures
    assert s.ask_recall >= 0.9 and s.ask_precision >= 0.9


def test_cli_eval_dialogue_scores_the_openai_backend_through_a_fake_endpoint(tmp_path, chat_endpoint):
    chat_endpoint.reply = '{"action": "chat", "message": "hello"}'
    env = {"OPENAI_BASE_URL": chat_endpoint.url, "OPENAI_MODEL": "fake"}
    r = CliRunner().invoke(cli, ["eval", "dialogue", "--backend", "openai", "--backend", "direct",
                                 "--out", str(tmp_path / "e")], env=env)
    assert r.exit_code == 0, r.output
    rows = json.loads((tmp_path / "e" / "results.json").read_text())
    assert [x["backend"] for x in rows] == ["openai", "direct"]
    assert len(chat_endpoint.seen) > 50                     # the model was asked on the edit/ask turns
    assert rows[0]["turn_accuracy"] > rows[1]["turn_accuracy"]   # the rules guard repairs what the model says


def test_a_lora_run_exports_a_small_adapter_that_loads_on_its_base(tmp_path, dialogues):
    import torch

    from dialogpaint.dialogue.llm import load_chat_model

    base = make_random_chat_model(tmp_path / "base", "causal")
    cfg = DialogueTrainConfig(data=str(dialogues), model=str(base), lr=1e-2, batch_size=2, max_steps=2, eval_every=1,
                              eval_examples=4, lora=True, max_len=128)
    train_dialogue(cfg, tmp_path / "run", progress=False)
    adapter = tmp_path / "run" / "model" / "adapter"
    assert (adapter / "adapter_config.json").is_file()
    _, merged, _ = load_chat_model(str(tmp_path / "run" / "model"))
    _, from_adapter, _ = load_chat_model(str(adapter))
    x = torch.tensor([[5, 6, 7, 8]])
    assert torch.allclose(merged(x).logits, from_adapter(x).logits, atol=1e-5)
    _, plain, _ = load_chat_model(str(base))
    assert not torch.allclose(plain(x).logits, merged(x).logits, atol=1e-6)   # the adapter changed something
