"""The dialogue dataset (paper Sec. 3.1.1): captions -> self-instruct prompt -> teacher -> checked dialogues.

Is: caption readers (text, JSONL, COCO captions JSON, world scenes), the resumable build loop
(k seed examples per prompt, parse, validate, dedupe, append) and the train/validation/test split in
the paper's proportions (9,000 / 500 / 500 of 10,000). Is not: a teacher (dialogue_teachers.py) or
the text format (dialogue_format.py).

Output folder:
    dialogues.jsonl   every kept dialogue, {"id", "caption", "turns"}, in build order (appended; resumes)
    rejected.jsonl    every rejected attempt with its reason (counts toward resuming)
    train.jsonl, validation.jsonl, test.jsonl, stats.json   written when the build is complete
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Iterator

from ..errors import ConfigError
from .dialogue_format import FormatError, parse_dialogues, seed_library, validate

SPLIT = (0.9, 0.05, 0.05)  # train / validation / test, as the paper's 9,000 / 500 / 500


def read_captions(path: str | Path) -> list[str]:
    """Captions from a text file (one a line), a JSONL of {"caption": ...}, or a COCO captions JSON."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"captions file '{p}' does not exist")
    text = p.read_text(errors="replace")
    if p.suffix == ".json":
        try:
            doc = json.loads(text)
            caps = [a["caption"] for a in doc["annotations"]]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise ConfigError(f"{p}: a .json file must be COCO captions ({{'annotations': [{{'caption': ...}}]}})") from None
    elif p.suffix == ".jsonl":
        caps = []
        for k, line in enumerate(text.splitlines()):
            if not line.strip():
                continue
            try:
                caps.append(json.loads(line)["caption"])
            except (json.JSONDecodeError, KeyError, TypeError):
                raise ConfigError(f"{p}:{k + 1}: each line must be JSON with a 'caption'") from None
    else:
        caps = text.splitlines()
    caps = [" ".join(str(c).split()) for c in caps if str(c).strip()]
    if not caps:
        raise ConfigError(f"{p}: no captions found")
    return caps


def scene_captions(seed: int) -> Iterator[str]:
    from ..world.scene import random_scene

    i = 0
    while True:
        yield random_scene(random.Random(f"captions:{seed}:{i}")).caption()
        i += 1


def _dialogue_key(d: dict) -> str:
    return "\n".join(" ".join(t["text"].lower().split()) for t in d["turns"] if t["role"] == "user") + "|" + d["caption"]


def _read_jsonl(path: Path) -> list[dict]:
    """Rows of a JSONL file; a last line cut short by a crash is dropped (and cut from the file)."""
    if not path.is_file():
        return []
    rows, good = [], 0
    with path.open("rb") as f:
        for raw in f:
            try:
                rows.append(json.loads(raw))
                good += len(raw)
            except json.JSONDecodeError:
                break
    if good != path.stat().st_size:
        with path.open("r+b") as f:
            f.truncate(good)
    return rows


def build_dialogues(out: str | Path, captions, n: int, *, teacher, k_examples: int = 20, seed: int = 0,
                    progress: bool | None = None) -> dict:
    """Build until `n` dialogues are kept (or the captions run out); resumes from `out`. Returns stats."""
    from tqdm import tqdm

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    kept_path, rejected_path = out / "dialogues.jsonl", out / "rejected.jsonl"
    # 1. resume: every attempt so far is a line in one of the two files
    kept, rejected = _read_jsonl(kept_path), _read_jsonl(rejected_path)
    seen = {_dialogue_key(d) for d in kept}
    attempts = len(kept) + len(rejected)
    seeds = seed_library()
    captions = iter(captions)
    for _ in range(attempts):
        next(captions, None)
    bar = tqdm(total=n, initial=min(len(kept), n), desc="dialogues", unit="dlg", disable=progress is False)
    with kept_path.open("a") as fk, rejected_path.open("a") as fr:
        while len(kept) < n:
            caption = next(captions, None)
            if caption is None:
                break
            # 2. prompt: k seed examples drawn with this attempt's own seed, then the teacher writes
            rng = random.Random(f"{seed}:{attempts}")
            examples = rng.sample(seeds, min(k_examples, len(seeds)))
            reason, dialogue = None, None
            try:
                text = teacher.write(caption, examples, rng)
                parsed = parse_dialogues(text)
                if len(parsed) != 1:
                    raise FormatError(f"{len(parsed)} dialogues in one answer")
                dialogue = {"caption": caption, "turns": parsed[0]["turns"]}
                reason = validate(dialogue)
            except FormatError as e:
                reason = f"malformed: {e}"
            except ConfigError as e:  # the teacher could not be reached: stop, keep what we have
                bar.close()
                raise ConfigError(f"teacher failed after {len(kept)} dialogues (resume by running again): {e}") from None
            if reason is None and _dialogue_key(dialogue) in seen:
                reason = "duplicate"
            attempts += 1
            # 3. keep or reject, one durable line per attempt
            if reason is None:
                dialogue = {"id": f"d{attempts:06d}", **dialogue}
                seen.add(_dialogue_key(dialogue))
                kept.append(dialogue)
                fk.write(json.dumps(dialogue) + "\n")
                fk.flush()
                bar.update(1)
            else:
                rejected.append({"attempt": attempts, "caption": caption, "reason": reason})
                fr.write(json.dumps(rejected[-1]) + "\n")
                fr.flush()
    bar.close()
    # 4. split with a fixed seed, in the paper's proportions
    order = list(range(len(kept)))
    random.Random(f"split:{seed}").shuffle(order)
    n_val = round(len(kept) * SPLIT[1])
    n_test = round(len(kept) * SPLIT[2])
    parts = {"validation": order[:n_val], "test": order[n_val:n_val + n_test], "train": order[n_val + n_test:]}
    for name, idx in parts.items():
        (out / f"{name}.jsonl").write_text("".join(json.dumps(kept[i]) + "\n" for i in sorted(idx)))
    reasons: dict[str, int] = {}
    for r in rejected:
        key = r["reason"].split(":")[0]
        reasons[key] = reasons.get(key, 0) + 1
    actions: dict[str, int] = {}
    for d in kept:
        for t in d["turns"]:
            if t["role"] == "assistant":
                actions[t["action"]] = actions.get(t["action"], 0) + 1
    stats = {"kept": len(kept), "attempts": attempts, "rejected": reasons, "teacher": teacher.name,
             "k_examples": k_examples, "seed": seed, "splits": {k: len(v) for k, v in parts.items()},
             "assistant_actions": actions, "complete": len(kept) >= n}
    (out / "stats.json").write_text(json.dumps(stats, indent=2))
    return stats


def read_split(folder: str | Path, name: str) -> list[dict]:
    p = Path(folder) / f"{name}.jsonl"
    if not p.is_file():
        raise ConfigError(f"'{p}' does not exist; build it with `dialogpaint data dialogues --out {folder}`")
    return [json.loads(line) for line in p.read_text().splitlines() if line.strip()]
