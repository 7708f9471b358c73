/// The released payload schemas built into the tool, so that it works when the binary is copied alone
/// and `consent check` can show what changed since the version a member consented to. A test keeps each
/// one byte-identical to its file under schemas/.
public enum ReleasedSchemas {
    /// `schemas/payload-v0.schema.json`.
    public static let payloadV0: [UInt8] = Array(v0Text.utf8)

    /// Every released version, oldest first, with the file name the lock gives it.
    public static let all: [(version: Int, path: String, bytes: [UInt8])] = [
        (0, "payload-v0.schema.json", payloadV0),
    ]

    /// The newest released schema.
    public static var current: (version: Int, path: String, bytes: [UInt8]) { all[all.count - 1] }

    /// The released schemas as documents (they are strict JSON; a test proves it).
    public static func documents() -> [SchemaDocument] {
        all.compactMap { try? SchemaDocument(name: "<built-in " + $0.path + ">", bytes: $0.bytes) }
    }

    static let v0Text = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://backpay.example/schemas/payload-v0.schema.json",
  "title": "Backpay daily usage payload, version 0",
  "description": "One member-day of usage counters. Counters only: no prompts, paths, names or free text.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "schema_version",
    "panelist",
    "date",
    "entries"
  ],
  "properties": {
    "schema_version": {
      "description": "Version of this schema; a bump voids consent.",
      "type": "integer",
      "const": 0
    },
    "panelist": {
      "description": "Random member id, UUID version 4, lower-case.",
      "type": "string",
      "format": "uuid",
      "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
    },
    "date": {
      "description": "UTC day the counters cover.",
      "type": "string",
      "format": "date",
      "pattern": "^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
      "x-backpay-calendar-date": {
        "minimum": "2024-01-01",
        "maximum": "today+1"
      }
    },
    "entries": {
      "description": "Usage per (tool, model) for the day.",
      "type": "array",
      "minItems": 1,
      "maxItems": 64,
      "items": {
        "$ref": "#/$defs/entry"
      },
      "x-backpay-unique-by": [
        "tool",
        "model"
      ]
    }
  },
  "$defs": {
    "entry": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "tool",
        "model",
        "input_tokens",
        "output_tokens",
        "cache_read_tokens",
        "cache_creation_tokens",
        "cost_usd_est",
        "sessions"
      ],
      "properties": {
        "tool": {
          "description": "Coding tool, from a fixed vocabulary.",
          "type": "string",
          "enum": [
            "claude-code",
            "codex",
            "cursor",
            "copilot",
            "gemini-cli",
            "aider",
            "cline",
            "roo-code",
            "windsurf",
            "opencode",
            "amp",
            "kiro",
            "zed",
            "continue",
            "goose",
            "other"
          ]
        },
        "model": {
          "description": "Model, from a fixed vocabulary.",
          "type": "string",
          "enum": [
            "claude-opus-4-8",
            "claude-opus-4-7",
            "claude-opus-4-6",
            "claude-opus-4-5",
            "claude-opus-4-1",
            "claude-sonnet-4-6",
            "claude-sonnet-4-5",
            "claude-sonnet-4",
            "claude-haiku-4-5",
            "claude-3-7-sonnet",
            "claude-3-5-haiku",
            "gpt-5",
            "gpt-5-mini",
            "gpt-5-codex",
            "gpt-5.1",
            "gpt-5.1-codex",
            "gpt-5.1-codex-mini",
            "gpt-4.1",
            "o3",
            "o4-mini",
            "gemini-3-pro",
            "gemini-2.5-pro",
            "gemini-2.5-flash",
            "grok-4",
            "grok-code-fast-1",
            "qwen3-coder",
            "kimi-k2",
            "deepseek-v3",
            "glm-4.6",
            "other"
          ]
        },
        "input_tokens": {
          "type": "integer",
          "minimum": 0,
          "maximum": 100000000000
        },
        "output_tokens": {
          "type": "integer",
          "minimum": 0,
          "maximum": 100000000000
        },
        "cache_read_tokens": {
          "type": "integer",
          "minimum": 0,
          "maximum": 100000000000
        },
        "cache_creation_tokens": {
          "type": "integer",
          "minimum": 0,
          "maximum": 100000000000
        },
        "cost_usd_est": {
          "description": "Estimated cost in US dollars, at most two decimals.",
          "type": "number",
          "minimum": 0,
          "maximum": 100000,
          "x-backpay-max-decimals": 2
        },
        "sessions": {
          "type": "integer",
          "minimum": 1,
          "maximum": 10000
        }
      }
    }
  }
}

"""#
}
