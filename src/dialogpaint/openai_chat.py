"""One call to an OpenAI-compatible /chat/completions endpoint (Ollama, vLLM, llama.cpp server,
hosted APIs), with the standard library only. Used by the dialogue backend and the data teachers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from .errors import ConfigError


def chat_completion(base_url: str, model: str, messages: list[dict], *, api_key: str | None = None,
                    temperature: float = 0.2, timeout: float = 60.0) -> str:
    """The assistant's text for `messages`; ConfigError when the endpoint does not answer usably."""
    body = json.dumps({"model": model, "messages": messages, "temperature": temperature}).encode()
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    req = urllib.request.Request(f"{base_url.rstrip('/')}/chat/completions", data=body, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read())["choices"][0]["message"]["content"]
    except (urllib.error.URLError, TimeoutError, KeyError, IndexError, TypeError, json.JSONDecodeError) as e:
        raise ConfigError(f"the chat endpoint {base_url} did not answer usably: {e}") from None


def first_json_object(text: str) -> dict | None:
    """The JSON object in a model's answer (models often wrap it in prose), or None."""
    import re

    m = re.search(r"\{.*\}", text, re.S)
    if not m:
        return None
    try:
        doc = json.loads(m.group(0))
    except json.JSONDecodeError:
        return None
    return doc if isinstance(doc, dict) else None
