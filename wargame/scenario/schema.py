"""The JSON Schema of the scenario format, generated from the pydantic models (models.py).

Editors use it through taplo (Even Better TOML in VS Code): a scenario file whose first line is

    #:schema ./wargame-scenario.schema.json

gets completion, hover text (each key's description) and errors while it is typed. The schema
checks shape only; names and expressions are checked by `wargame validate`, and judgement calls
by `wargame lint`. A copy ships inside the package (SHIPPED) and a test keeps it equal to what
the models generate, so it cannot drift.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wargame.scenario.models import ScenarioModel

FILE_NAME = "wargame-scenario.schema.json"
SHIPPED = Path(__file__).with_name(FILE_NAME)
DIRECTIVE = f"#:schema ./{FILE_NAME}"
DIALECT = "http://json-schema.org/draft-07/schema#"  # the draft taplo and Even Better TOML read


def scenario_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict: draft-07, `$defs` for the tables, TOML key names
    (`from`, not `from_`), a description on every key, `format` pinned to FORMAT_VERSION."""
    schema = ScenarioModel.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": DIALECT, **schema}


def schema_text() -> str:
    """The schema as the text of a file (what `wargame schema` prints and the package ships)."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"


def with_directive(text: str) -> str:
    """A scenario's text with the `#:schema` line first (replacing one already there)."""
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith("#:schema"):
        lines = lines[1:]
    return DIRECTIVE + "\n" + "".join(lines)
