'''FT614-FT617: tool use in training records. Two shapes: Converse (`bedrock-conversation`: a
`toolConfig` with `toolSpec`s, `toolUse` blocks in assistant turns, `toolResult` blocks in user
turns) and OpenAI (`openai-chat` and `rft`: a `tools` list of functions, `tool_calls` on assistant
messages, `tool` messages). The structure each shape needs is in its schema; these rules check
what a schema cannot: names, ids that pair up, and inputs valid against the tool's own schema.'''
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import orjson

from ftlint.finding import Problem, Severity
from ftlint.rules.base import rule

# Converse ToolSpecification.name and OpenAI function names: letters, digits, _ and -, 1-64
_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
OPENAI_FORMATS = ("openai-chat", "rft")


def converse_tools(obj: dict) -> list[tuple[str, dict]]:
    """(path, toolSpec) of each Converse tool definition."""
    tools = obj.get("toolConfig", {}).get("tools", []) if isinstance(obj.get("toolConfig"), dict) else []
    return [(f"toolConfig.tools[{i}].toolSpec", t["toolSpec"]) for i, t in enumerate(tools)
            if isinstance(t, dict) and isinstance(t.get("toolSpec"), dict)]


def openai_tools(obj: dict) -> list[tuple[str, dict]]:
    """(path, function) of each OpenAI tool definition (the schema makes `function` an object)."""
    tools = obj.get("tools") if isinstance(obj.get("tools"), list) else []
    return [(f"tools[{i}].function", t["function"]) for i, t in enumerate(tools)
            if isinstance(t, dict) and isinstance(t.get("function"), dict)]


def schema_of(fmt: str, spec: dict):
    """The JSON Schema of a tool's input: Converse inputSchema.json, OpenAI parameters."""
    if fmt == "bedrock-conversation":
        return spec.get("inputSchema", {}).get("json")
    return spec.get("parameters")


@lru_cache(maxsize=1024)
def _validator(schema_json: bytes):
    """A jsonschema validator for a tool schema (records repeat their tools: built once each),
    or the schema's own error message when it is not a valid JSON Schema."""
    from jsonschema import exceptions, validators

    schema = orjson.loads(schema_json)
    cls = validators.validator_for(schema, default=validators.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except exceptions.SchemaError as exc:
        return str(exc.message)
    return cls(schema)


def validator(schema: dict):
    try:
        key = orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return "the schema holds a value JSON cannot write"
    return _validator(key)


@rule("FT614", "tool-definition", "error",
      "A tool definition without a valid name, description or JSON Schema, or defined twice.",
      why="a training job rejects a malformed tool definition, and a model cannot learn to call a tool it cannot tell apart.",
      scope="record", batch=True)
def tool_definition(records, options) -> Iterator[Problem]:
    """
    ## What it does
    Checks every tool a record defines: Converse `toolConfig.tools[].toolSpec` (Nova) and OpenAI
    `tools[]` (RFT, openai-chat). Each needs a name of letters, digits, `_` and `-` (1 to 64
    characters), unique in the record; an input schema that is a valid JSON Schema with a
    `type` (`"object"` for OpenAI `parameters`); OpenAI tools need `"type": "function"`. A
    missing or empty description is a warning: the description is how the model tells the
    tools apart. An empty tool list is an error.

    ## Why it matters
    Bedrock's Nova validators reject a tool without a name or schema and duplicate tool names;
    a model trained on tools it cannot tell apart calls the wrong one.

    ## Example
    ```jsonl bad
    {"messages": [{"role": "user", "content": "Weather in Paris?"}], "reference_answer": "sunny", "tools": [{"type": "function", "function": {"name": "get weather", "description": "Current weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]}
    ```
    ```jsonl good
    {"messages": [{"role": "user", "content": "Weather in Paris?"}], "reference_answer": "sunny", "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]}
    ```

    ## Fix
    Rename the tool (`get_weather`), describe what it does, and give it a JSON Schema object
    (`{"type": "object", "properties": {...}, "required": [...]}`).
    """
    for record in records:
        obj = record.obj
        if record.format == "bedrock-conversation":
            if "toolConfig" not in obj:
                continue
            specs, where = converse_tools(obj), "toolConfig.tools"
            if not obj["toolConfig"]["tools"]:
                yield Problem(record.line, "toolConfig.tools is empty: define the tools or drop toolConfig")
        elif record.format in OPENAI_FORMATS and "tools" in obj:
            specs, where = openai_tools(obj), "tools"
            if not obj["tools"]:
                yield Problem(record.line, "tools is empty: define the tools or drop the key")
            for i, t in enumerate(obj["tools"]):
                if t.get("type") != "function" or not isinstance(t.get("function"), dict):
                    yield Problem(record.line, f"tools[{i}] must be {{\"type\": \"function\", \"function\": {{...}}}}")
        else:
            continue
        yield from _definitions(record, specs, where)


def _definitions(record, specs: list[tuple[str, dict]], where: str) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for path, spec in specs:
        name = spec.get("name")
        if not isinstance(name, str) or not _NAME.match(name):
            yield Problem(record.line, f"{path}.name {name!r} is not a tool name: use 1 to 64 letters, digits, "
                          "'_' or '-'", data={"field": f"{path}.name"})
        elif name in seen:
            yield Problem(record.line, f"{path}.name {name!r} is defined twice in {where} (first at {seen[name]}): "
                          "tool names must be unique", data={"field": f"{path}.name", "tool": name})
        else:
            seen[name] = path
        desc = spec.get("description")
        if not isinstance(desc, str) or not desc.strip():
            yield Problem(record.line, f"{path} has no description: say what the tool does and when to call it, "
                          "so the model can choose it", severity=Severity.WARNING, data={"field": f"{path}.description"})
        yield from _schema(record, path, schema_of(record.format, spec))


def _schema(record, path: str, schema) -> Iterator[Problem]:
    openai = record.format != "bedrock-conversation"
    field = f"{path}.parameters" if openai else f"{path}.inputSchema.json"
    if schema is None:
        if openai:
            yield Problem(record.line, f"{path} has no parameters: give a JSON Schema object", data={"field": field})
        return
    if not isinstance(schema, dict) or "type" not in schema:
        yield Problem(record.line, f"{field} needs a JSON Schema with a \"type\" (usually \"object\")", data={"field": field})
        return
    if openai and schema.get("type") != "object":
        yield Problem(record.line, f"{field} has type {schema.get('type')!r}; function parameters must be "
                      "\"type\": \"object\"", data={"field": field})
    check = validator(schema)
    if isinstance(check, str):
        yield Problem(record.line, f"{field} is not a valid JSON Schema: {check}", data={"field": field})


@rule("FT615", "tool-use-pairing", "error",
      "A tool call and its result that do not pair up, or a call to a tool the record does not define.",
      why="an unanswered or orphaned tool call, or a call to an undefined tool, is a conversation no API accepts, and the model learns to call tools that do not exist.",
      scope="record", batch=True)
def tool_use_pairing(records, options) -> Iterator[Problem]:
    """
    ## What it does
    Converse records (`bedrock-conversation`): `toolUse` only in assistant turns, `toolResult`
    only in user turns; every `toolUse` names a tool of the record's `toolConfig` and has a
    `toolUseId` used once; every `toolResult` answers a `toolUse` of an earlier turn, once; a
    `toolUse` is answered in the next user turn unless it ends the conversation. OpenAI records
    (`openai-chat`, `rft`): each assistant `tool_calls[].id` is answered by one `tool` message
    with that `tool_call_id`, and each called function is in `tools` when the record has `tools`.

    ## Why it matters
    The Converse API refuses a conversation whose tool calls and results do not match, and
    Bedrock's Nova validators reject such training records; a model trained on calls to
    undefined tools invents tools.

    ## Example
    ```jsonl bad
    {"schemaVersion": "bedrock-conversation-2024", "toolConfig": {"tools": [{"toolSpec": {"name": "get_weather", "description": "Current weather", "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}}}}}]}, "messages": [{"role": "user", "content": [{"text": "Weather in Paris?"}]}, {"role": "assistant", "content": [{"toolUse": {"toolUseId": "t1", "name": "get_forecast", "input": {"city": "Paris"}}}]}, {"role": "user", "content": [{"toolResult": {"toolUseId": "t2", "content": [{"json": {"sky": "sunny"}}]}}]}, {"role": "assistant", "content": [{"text": "Sunny."}]}]}
    ```
    ```jsonl good
    {"schemaVersion": "bedrock-conversation-2024", "toolConfig": {"tools": [{"toolSpec": {"name": "get_weather", "description": "Current weather", "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}}}}}]}, "messages": [{"role": "user", "content": [{"text": "Weather in Paris?"}]}, {"role": "assistant", "content": [{"toolUse": {"toolUseId": "t1", "name": "get_weather", "input": {"city": "Paris"}}}]}, {"role": "user", "content": [{"toolResult": {"toolUseId": "t1", "content": [{"json": {"sky": "sunny"}}]}}]}, {"role": "assistant", "content": [{"text": "Sunny."}]}]}
    ```

    ## Fix
    Give each call a unique id and answer it with a result carrying the same id in the next user
    turn; call only tools the record defines (add the definition to `toolConfig` or `tools`).
    """
    for record in records:
        if record.format == "bedrock-conversation":
            media = record.example.media  # empty for most records: no generator for them
            if media and any(m["kind"] in ("toolUse", "toolResult") for m in media):
                yield from _converse_pairs(record)
        elif record.format in OPENAI_FORMATS:
            yield from _openai_pairs(record)


def _converse_pairs(record) -> Iterator[Problem]:
    obj = record.obj
    defined = {spec.get("name") for _, spec in converse_tools(obj)}
    uses: dict[str, int] = {}  # toolUseId -> message index
    answered: set[str] = set()
    messages = obj["messages"]
    for i, m in enumerate(messages):
        for j, block in enumerate(m["content"]):
            where = f"messages[{i}].content[{j}]"
            if "toolUse" in block:
                use = block["toolUse"]
                if m["role"] != "assistant":
                    yield Problem(record.line, f"{where} is a toolUse in a {m['role']} turn: tool calls belong in "
                                  "assistant turns")
                if use["name"] not in defined:
                    known = ", ".join(sorted(n for n in defined if isinstance(n, str))) or "none (no toolConfig)"
                    yield Problem(record.line, f"{where} calls tool {use['name']!r}, which toolConfig does not define "
                                  f"(defined: {known})", data={"tool": use["name"]})
                if use["toolUseId"] in uses:
                    yield Problem(record.line, f"{where} reuses toolUseId {use['toolUseId']!r} (first in "
                                  f"messages[{uses[use['toolUseId']]}]): each call needs its own id")
                else:
                    uses[use["toolUseId"]] = i
            elif "toolResult" in block:
                tid = block["toolResult"]["toolUseId"]
                if m["role"] != "user":
                    yield Problem(record.line, f"{where} is a toolResult in a {m['role']} turn: tool results "
                                  "belong in user turns")
                if tid not in uses or uses[tid] >= i:
                    yield Problem(record.line, f"{where} answers toolUseId {tid!r}, which no earlier toolUse has")
                elif tid in answered:
                    yield Problem(record.line, f"{where} answers toolUseId {tid!r} a second time")
                answered.add(tid)
    for tid, i in uses.items():
        if tid not in answered and i < len(messages) - 1:
            yield Problem(record.line, f"the toolUse {tid!r} in messages[{i}] has no toolResult in the next user "
                          "turn: answer each call before the conversation goes on")


def _openai_pairs(record) -> Iterator[Problem]:
    obj = record.obj
    defined = {spec.get("name") for _, spec in openai_tools(obj)} if "tools" in obj else None
    calls: dict[str, int] = {}
    answered: set[str] = set()
    for i, m in enumerate(obj["messages"]):
        for k, call in enumerate(m.get("tool_calls") or ()):
            if not isinstance(call, dict):
                continue
            where = f"messages[{i}].tool_calls[{k}]"
            name = call.get("function", {}).get("name") if isinstance(call.get("function"), dict) else None
            if defined is not None and name not in defined:
                yield Problem(record.line, f"{where} calls function {name!r}, which tools does not define",
                              data={"tool": name})
            cid = call.get("id")
            if isinstance(cid, str):
                if cid in calls:
                    yield Problem(record.line, f"{where} reuses tool call id {cid!r}")
                calls[cid] = i
        if m.get("role") == "tool":
            cid = m.get("tool_call_id")
            if cid not in calls:
                yield Problem(record.line, f"messages[{i}] is a tool message for tool_call_id {cid!r}, which no "
                              "earlier tool call has")
            answered.add(cid)
    last = len(obj["messages"]) - 1
    for cid, i in calls.items():
        if cid not in answered and i < last:
            yield Problem(record.line, f"the tool call {cid!r} in messages[{i}] has no tool message answering it")


@rule("FT616", "tool-input-schema", "error",
      "A tool call whose input does not match the tool's JSON Schema (validated with jsonschema).",
      why="the model learns to call the tool with input the tool rejects.",
      scope="record", batch=True)
def tool_input_schema(records, options) -> Iterator[Problem]:
    """
    ## What it does
    Validates every tool call's input against the schema of the tool it calls, with
    `jsonschema`: Converse `toolUse.input` against `toolSpec.inputSchema.json`, OpenAI
    `tool_calls[].function.arguments` (a JSON string) against `parameters`. Calls to undefined
    tools and invalid schemas are FT615 and FT614.

    ## Why it matters
    Every example of a call teaches the model the arguments to write. A missing required
    argument or a string where the tool takes a number is a call that fails at run time, learned
    as correct.

    ## Example
    ```jsonl bad
    {"schemaVersion": "bedrock-conversation-2024", "toolConfig": {"tools": [{"toolSpec": {"name": "get_weather", "description": "Current weather", "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}}]}, "messages": [{"role": "user", "content": [{"text": "Weather in Paris?"}]}, {"role": "assistant", "content": [{"toolUse": {"toolUseId": "t1", "name": "get_weather", "input": {"town": "Paris"}}}]}]}
    ```
    ```jsonl good
    {"schemaVersion": "bedrock-conversation-2024", "toolConfig": {"tools": [{"toolSpec": {"name": "get_weather", "description": "Current weather", "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}}]}, "messages": [{"role": "user", "content": [{"text": "Weather in Paris?"}]}, {"role": "assistant", "content": [{"toolUse": {"toolUseId": "t1", "name": "get_weather", "input": {"city": "Paris"}}}]}]}
    ```

    ## Fix
    Correct the call's arguments to match the schema, or correct the schema if the calls show
    what the tool really takes.
    """
    for record in records:
        fmt, obj = record.format, record.obj
        if fmt == "bedrock-conversation":
            media = record.example.media
            if not media or not any(m["kind"] == "toolUse" for m in media):
                continue
            specs = {spec.get("name"): spec for _, spec in converse_tools(obj)}
            for i, m in enumerate(obj["messages"]):
                for j, block in enumerate(m["content"]):
                    if "toolUse" in block:
                        use = block["toolUse"]
                        yield from _check_input(record, f"messages[{i}].content[{j}].toolUse.input", use["name"],
                                                use["input"], specs)
        elif fmt in OPENAI_FORMATS and "tools" in obj:
            specs = {spec.get("name"): spec for _, spec in openai_tools(obj)}
            for i, m in enumerate(obj["messages"]):
                for k, call in enumerate(m.get("tool_calls") or ()):
                    fn = call.get("function") if isinstance(call, dict) else None
                    if not isinstance(fn, dict):
                        continue
                    where = f"messages[{i}].tool_calls[{k}].function.arguments"
                    args = fn.get("arguments")
                    if isinstance(args, str):
                        try:
                            args = orjson.loads(args)
                        except orjson.JSONDecodeError:
                            yield Problem(record.line, f"{where} is not valid JSON: the arguments of a call are a "
                                          "JSON object written as a string")
                            continue
                    yield from _check_input(record, where, fn.get("name"), args, specs)


def _check_input(record, where: str, name, value, specs: dict) -> Iterator[Problem]:
    spec = specs.get(name)
    if spec is None:
        return  # FT615 reports a call to an undefined tool
    schema = schema_of(record.format, spec)
    if not isinstance(schema, dict):
        return  # FT614
    check = validator(schema)
    if isinstance(check, str):
        return  # an invalid schema is FT614's
    errors = sorted(check.iter_errors(value), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        at = "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in first.absolute_path)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        message = first.message if len(first.message) <= 160 else first.message[:159] + "…"
        yield Problem(record.line, f"{where}{at} does not match the schema of tool {name!r}: {message}{more}",
                      data={"tool": name, "errors": len(errors)})


@rule("FT617", "tool-use-not-trained", "warning",
      "Tool definitions or tool calls in a record for a target whose job does not train on tool use.",
      why="Bedrock documents that tool sections may make such a job fail, which is not certain enough for an error.",
      scope="record", needs_target=True, batch=True)
def tool_use_not_trained(records, options) -> Iterator[Problem]:
    """
    ## What it does
    With `--target`, reports records that define or call tools (`toolConfig`, `toolUse`,
    `toolResult`; `tools`, `tool_calls`, `tool` messages) when the target profile does not train
    on tool use (`tool-use` in `ftlint targets NAME`): Nova 2 Lite supervised fine-tuning,
    Llama, distillation.

    ## Why it matters
    Bedrock's Nova 2 Lite page says tool use is not supported by its supervised fine-tuning yet
    and that tool sections might make the job fail; elsewhere the tool calls are at best ignored.

    ## Example
    ```jsonl bad target=nova-2-lite
    {"schemaVersion": "bedrock-conversation-2024", "toolConfig": {"tools": [{"toolSpec": {"name": "get_weather", "description": "Current weather", "inputSchema": {"json": {"type": "object"}}}}]}, "messages": [{"role": "user", "content": [{"text": "Weather in Paris?"}]}, {"role": "assistant", "content": [{"text": "Sunny."}]}]}
    ```
    ```jsonl good target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "toolConfig": {"tools": [{"toolSpec": {"name": "get_weather", "description": "Current weather", "inputSchema": {"json": {"type": "object"}}}}]}, "messages": [{"role": "user", "content": [{"text": "Weather in Paris?"}]}, {"role": "assistant", "content": [{"text": "Sunny."}]}]}
    ```

    ## Fix
    Train tool use on a target that takes it (Nova Micro, Lite or Pro; RFT on Nova 2 Lite), or
    drop the tool sections from these records.
    """
    if not records or records[0].target.tool_use:
        return  # one target per run
    p = records[0].target
    for record in records:
        obj = record.obj
        if record.format == "bedrock-conversation":
            media = record.example.media
            found = "toolConfig" in obj or bool(media) and any(m["kind"] in ("toolUse", "toolResult") for m in media)
        elif record.format in OPENAI_FORMATS:
            found = "tools" in obj or any(m.get("tool_calls") or m.get("role") == "tool" for m in obj["messages"])
        else:
            found = False
        if found:
            yield Problem(record.line, f"the record defines or calls tools, but {p.key} ({p.name}) does not train on "
                          "tool use; drop the tool sections or choose a target that takes them",
                          data={"target": p.key})


RULES = (tool_definition, tool_use_pairing, tool_input_schema, tool_use_not_trained)
