"""Milliseconds per turn of the dialogue backends on a fixed set of conversations (target for
`rules`: median under 20 ms on the 2-core CPU). Prints a table; `direct` is the floor (it only strips
the text). The last conversation has turns no rule reads, so the rules ask the MiniLM intent model
(loaded once per process: its cold load is printed apart). Then the rules' time on a few hostile
messages (long and repetitive: where a backtracking regex would show)."""

from __future__ import annotations

import statistics
import time

from dialogpaint import load_dialogue
from dialogpaint.dialogue import ConversationState, Turn

CONVERSATIONS = [
    ["hi", "make the jacket a different colour", "red", "no, make it blue instead", "what have you changed?"],
    ["replace the dog", "a cheetah", "move it to Mars", "it's too dark", "forget the cheetah"],
    ["change it to something else", "the car", "a horse", "make it look like a watercolor", "thanks!"],
    ["Would it be possible to make the jacket a dark green?", "pls remove teh dog", "make the car red and the sky pink",
     "my uncle took this one years ago", "the sky could use some drama", "drop the colour change"],
]


def per_turn_ms(name: str, repeats: int = 50) -> float:
    d = load_dialogue(name)
    times = []
    for conv in CONVERSATIONS:
        turns: tuple[Turn, ...] = ()
        for text in conv:
            turns = turns + (Turn("user", text),)
            state = ConversationState(turns=turns, caption="a man in a red jacket next to a dog and a car")
            t0 = time.perf_counter()
            for _ in range(repeats):
                reply = d.respond(state)
            times.append((time.perf_counter() - t0) / repeats * 1000)
            turns = turns + (Turn("assistant", reply.message, reply.action, reply.instruction),)
    return statistics.median(times), max(times)


if __name__ == "__main__":
    from dialogpaint.dialogue.intent_model import default_model

    t0 = time.perf_counter()
    loaded = default_model() is not None
    print(f"intent model cold load: {time.perf_counter() - t0:.2f} s ({'loaded' if loaded else 'not installed'})\n")
    print("| backend | median ms/turn | worst ms/turn |\n|---|---|---|")
    for name in ("direct", "rules"):
        med, worst = per_turn_ms(name)
        print(f"| {name} | {med:.3f} | {worst:.3f} |")
    # worst-case messages: long, repetitive ones (a regex that backtracks shows here, not in the median)
    rules, caption = load_dialogue("rules"), "a man in a red jacket next to a dog and a car"
    print("\n| hostile message (rules) | chars | ms |\n|---|---|---|")
    for label, text in [("'and to play' x30", "My family went back to the lake to swim " + "and to play " * 30 + "at grandma's"),
                        ("'to' x40", "make the dog " + "to " * 40 + "blue"),
                        ("', ok' x40 (polite tail; exponential before session 7)", "make it red" + ", ok" * 40 + " x"),
                        ("', thanks' x60", "make it red" + ", thanks" * 60 + " blah"),
                        ("1,999 characters of words", ("make the sky pink and " * 100)[:1999]),
                        ("5,000 x 'x' (refused: too long)", "x" * 5000)]:
        t0 = time.perf_counter()
        rules.respond(ConversationState(turns=(Turn("user", text),), caption=caption))
        print(f"| {label} | {len(text):,} | {(time.perf_counter() - t0) * 1000:.1f} |")
