"""Fuzzing ``ipwire extract`` through click's CliRunner: any text → exit 0 and valid JSON."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from strategies import fuzz_settings, text

from ipwire.cli import cli

NEWSY = st.lists(
    st.sampled_from(
        [
            "Corvane AI accused Brightline Labs of distilling its model.",
            '"We never copied anything," said Mara Quillon, chief executive of Delphic.',
            "The lawsuit, filed in March, alleges scraping.",
            "It said it may have been",
            "«»“”‘’",
            "\u200b\u200d",
            "\x00",
            "\n\n\n",
            "Dr. Ms. Mr. U.S. e.g. i.e.",
            "A" * 300,
        ]
    ),
    max_size=12,
).map(" ".join)


@fuzz_settings(8)
@given(body=st.one_of(text, NEWSY), title=st.one_of(st.none(), text))
def test_extract_cli_on_arbitrary_text(inputs: Any, body: str, title: str | None) -> None:
    inputs.record("ipwire extract", (body, title))
    args = ["extract", "-", "--model", "blank"]
    if title is not None:
        args += ["--title", title]
    result = CliRunner().invoke(cli, args, input=body.encode("utf-8", "surrogatepass"))
    if result.exit_code == 1:
        # empty, binary or unanalysable input: one line saying so, never a traceback
        assert isinstance(result.exception, SystemExit), result.exception
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, result.output
        assert lines[0].startswith("Error: "), result.output
        return
    assert result.exit_code == 0, (result.output, result.exception)
    data = json.loads(result.stdout)
    assert {"relevant", "relevance", "entities", "claims", "roles", "quotes"} <= set(data)
