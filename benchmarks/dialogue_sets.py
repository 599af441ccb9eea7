"""Score one dialogue backend on every shipped case set: the tuning sets and the held-out sets, with totals.

Is: a table per set (turns, turn accuracy, action accuracy, median ms per turn) and two totals, all the
tuning sets and all the held-out sets (turn-weighted), printed and written as JSON. Is not: the
per-backend comparison table (`dialogpaint eval dialogue` does that for one set); nothing here tunes.

    .venv/bin/python benchmarks/dialogue_sets.py --backend rules --out benchmarks/results/dialogue_sets_rules.json
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

from dialogpaint.dialogue import load_dialogue
from dialogpaint.eval.dialogue import CASE_SETS, load_cases, run_backend


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", default="rules")
    ap.add_argument("--out", default=None, help="JSON file for the figures")
    args = ap.parse_args()
    dialogue = load_dialogue(args.backend)
    rows, t0 = [], time.time()
    for name in sorted(CASE_SETS, key=lambda n: (n.startswith("heldout"), n)):
        s = run_backend(dialogue, load_cases(name))
        rows.append({"set": name, "held_out": name.startswith("heldout"), "turns": s.turns,
                     "turn_accuracy": s.turn_accuracy, "action_accuracy": s.action_accuracy, "median_ms": s.median_ms})
    print(f"backend {args.backend} on {platform.machine()} ({platform.processor() or 'cpu'}), {time.time() - t0:.0f} s\n")
    print("| set | held out | turns | turn accuracy | action accuracy | median ms/turn |\n|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['set']} | {'yes' if r['held_out'] else 'no'} | {r['turns']} | {r['turn_accuracy']:.1%} | "
              f"{r['action_accuracy']:.1%} | {r['median_ms']:.2f} |")
    totals = {}
    for held in (False, True):
        part = [r for r in rows if r["held_out"] == held]
        turns = sum(r["turns"] for r in part)
        acc = sum(r["turn_accuracy"] * r["turns"] for r in part) / turns
        totals["held-out" if held else "tuning"] = {"turns": turns, "turn_accuracy": acc}
        print(f"| **all {'held-out' if held else 'tuning'}** | {'yes' if held else 'no'} | {turns} | **{acc:.1%}** | | |")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps({"backend": args.backend, "sets": rows, "totals": totals}, indent=2))


if __name__ == "__main__":
    main()
