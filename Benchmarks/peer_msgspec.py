#!/usr/bin/env python3
"""Peer: msgspec decoding each line into closed Structs (the fastest typed decoder in Python).

Checks: unknown fields rejected at both levels (forbid_unknown_fields), every field required, Literal
vocabularies and schema_version, integer and number bounds (Meta), 1–64 entries, `uuid.UUID` and
`datetime.date` types (real calendar dates), strict types (no "3" for 3). Does not check: UUID version 4 or
lower case (msgspec accepts upper case and hyphen-less UUIDs), the date window, unique (tool, model), two-
decimal costs, duplicate JSON keys. The rules are written here by hand, not read from the schema file.
"""

import datetime
import sys
import uuid
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

import peer_common

Tool = Literal["claude-code", "codex", "cursor", "copilot", "gemini-cli", "aider", "cline", "roo-code",
               "windsurf", "opencode", "amp", "kiro", "zed", "continue", "goose", "other"]
Model = Literal["claude-opus-4-8", "claude-opus-4-7", "claude-opus-4-6", "claude-opus-4-5", "claude-opus-4-1",
                "claude-sonnet-4-6", "claude-sonnet-4-5", "claude-sonnet-4", "claude-haiku-4-5",
                "claude-3-7-sonnet", "claude-3-5-haiku", "gpt-5", "gpt-5-mini", "gpt-5-codex", "gpt-5.1",
                "gpt-5.1-codex", "gpt-5.1-codex-mini", "gpt-4.1", "o3", "o4-mini", "gemini-3-pro",
                "gemini-2.5-pro", "gemini-2.5-flash", "grok-4", "grok-code-fast-1", "qwen3-coder", "kimi-k2",
                "deepseek-v3", "glm-4.6", "other"]
Tokens = Annotated[int, Meta(ge=0, le=100_000_000_000)]


class Entry(msgspec.Struct, forbid_unknown_fields=True):
    tool: Tool
    model: Model
    input_tokens: Tokens
    output_tokens: Tokens
    cache_read_tokens: Tokens
    cache_creation_tokens: Tokens
    cost_usd_est: Annotated[float, Meta(ge=0, le=100_000)]
    sessions: Annotated[int, Meta(ge=1, le=10_000)]


class Payload(msgspec.Struct, forbid_unknown_fields=True):
    schema_version: Literal[0]
    panelist: uuid.UUID
    date: datetime.date
    entries: Annotated[list[Entry], Meta(min_length=1, max_length=64)]


def make_check(_schema_path):
    decode = msgspec.json.Decoder(Payload).decode
    error = msgspec.DecodeError  # ValidationError is a subclass

    def check(line: bytes) -> bool:
        try:
            decode(line)
            return True
        except error:
            return False

    return check


if __name__ == "__main__":
    sys.exit(peer_common.main("msgspec", make_check))
