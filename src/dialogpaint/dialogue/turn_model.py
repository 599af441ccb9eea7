"""A small model of a later turn in its context: is this message, said after that one, an edit, a question to
ask, chat or a forget?

Is: a classifier over three MiniLM sentence embeddings (the message, the user's previous message, their
product) and the assistant's previous action, five members of one hidden layer averaged (shipped as
`models/dialogpaint-intent/turn.npz`), trained on the later turns of the benchmark's tuning case sets, never
a held-out one; its trainer (`python -m dialogpaint.dialogue.turn_model --out FOLDER`). The rules ask it at
their last step instead of the context-free intent model when there is a previous turn: "sleeping" right
after "add a cat on the sill" refines that edit, "dad approved" after an edit is chat. Is not: a reader of
the message's slots (the rules build the instruction) nor a model of the first turn (intent_model.py).
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .intent_model import CASE_SETS, LABELS, _encoder, embed, mean_softmax, model_folder

PREVIOUS = ("edit", "ask", "chat", "forget")  # the assistant's previous action, one-hot in this order
BLEND = 0.5  # the weight of this model against the context-free intent model's probabilities


def features(msg, prev, action: list[str]):
    """(N, 3*384 + 4) inputs: message, previous user message, their product, the previous action one-hot."""
    import numpy as np

    onehot = np.eye(len(PREVIOUS), dtype=np.float32)[[PREVIOUS.index(a) for a in action]]
    return np.concatenate([msg, prev, msg * prev, onehot], 1).astype(np.float32)


@dataclass
class TurnModel:
    layers: dict       # w1 (K, H, D), b1 (K, H), w2 (K, 4, H), b2 (K, 4) numpy: K members, one hidden ReLU layer each
    encoder: tuple

    def probabilities(self, x):
        """(N, 4) probabilities for (N, D) features: the mean of the members' softmaxes."""
        return mean_softmax(self.layers, x)

    def classify(self, text: str, previous: str, action: str, alone=None) -> tuple[str, float]:
        """(label, probability) for `text` said after the user's `previous` message was answered with `action`;
        with `alone` (the context-free intent model), the mean of its probabilities and this model's."""
        e = embed([text, previous], self.encoder)                            # (2, 384)
        p = self.probabilities(features(e[:1], e[1:], [action]))[0]         # (4,)
        if alone is not None:
            p = BLEND * p + (1 - BLEND) * alone.probabilities(e[:1])[0]
        k = int(p.argmax())
        return LABELS[k], float(p[k])


@lru_cache(maxsize=1)
def default_turn_model() -> TurnModel | None:
    """The shipped model, loaded once per process; None when its weights or MiniLM are not here."""
    import numpy as np

    from .intent_model import default_model

    path = model_folder() / "turn.npz"
    base = default_model()  # the same MiniLM, loaded once
    if not path.is_file() or base is None:
        return None
    data = np.load(path)
    return TurnModel({k: data[k] for k in ("w1", "b1", "w2", "b2")}, base.encoder)


@lru_cache(maxsize=1024)
def classify_turn(text: str, previous: str, action: str) -> tuple[str, float] | None:
    """(label, probability) of a later message in its context; None when the model or MiniLM is not here."""
    from .intent_model import default_model

    model = default_turn_model()
    if model is None or action not in PREVIOUS:
        return None
    return model.classify(text, previous, action, alone=default_model())


# --- training ------------------------------------------------------------------------------------
def later_turns(names: tuple[str, ...] = CASE_SETS) -> list[tuple[str, str, str, str]]:
    """(message, previous user message, previous expected action, label) of every turn after the first of the
    named case sets (the writers' labels; their earlier turns are taken as answered rightly)."""
    from ..eval.dialogue import load_cases

    if any(n.startswith("heldout") for n in names):
        raise ValueError("the held-out case sets are never training data")
    out = []
    for name in names:
        for case in load_cases(name):
            t = case["turns"]
            out += [(t[k]["user"], t[k - 1]["user"], t[k - 1]["action"], t[k]["action"]) for k in range(1, len(t))]
    return out


def train(rows, encoder, members: int = 5, hidden: int = 64, epochs: int = 60, seed: int = 0, progress: bool = True):
    """The layers of a `members`-strong ensemble trained on `rows` (later_turns)."""
    import numpy as np
    import torch
    from tqdm import tqdm

    texts = sorted({r[0] for r in rows} | {r[1] for r in rows})
    index = {t: i for i, t in enumerate(texts)}
    e = embed(texts, encoder)                                                               # (T, 384)
    x = torch.tensor(features(e[[index[r[0]] for r in rows]], e[[index[r[1]] for r in rows]], [r[2] for r in rows]))
    y = torch.tensor([LABELS.index(r[3]) for r in rows])
    layers: dict[str, list] = {"w1": [], "b1": [], "w2": [], "b2": []}
    for m in tqdm(range(members), desc="turn model", unit="member", disable=not progress):
        torch.manual_seed(seed + m)
        net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                                  torch.nn.Linear(hidden, len(LABELS)))
        opt = torch.optim.AdamW(net.parameters(), 2e-3, weight_decay=1e-3)
        for _ in range(epochs):
            perm = torch.randperm(len(x))
            for i in range(0, len(x), 64):
                b = perm[i:i + 64]
                opt.zero_grad()
                torch.nn.functional.cross_entropy(net(x[b]), y[b]).backward()
                opt.step()
        for k, p in zip(("w1", "b1", "w2", "b2"), net.parameters()):
            layers[k].append(p.detach().numpy())
    return {k: np.stack(v).astype(np.float16) for k, v in layers.items()}


def main() -> None:
    import numpy as np

    ap = argparse.ArgumentParser(description="train the turn model on the tuning case sets' later turns")
    ap.add_argument("--out", required=True, help="folder for turn.npz (models/dialogpaint-intent ships it)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rows = later_turns()
    random.Random(args.seed).shuffle(rows)
    layers = train(rows, _encoder(), seed=args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "turn.npz", **layers)
    (out / "turn.json").write_text(json.dumps({"turns": len(rows), "case_sets": list(CASE_SETS), "members": 5,
                                               "hidden": 64, "epochs": 60, "seed": args.seed}, indent=2))
    print(f"wrote {out / 'turn.npz'} ({len(rows)} turns)")


if __name__ == "__main__":
    main()
