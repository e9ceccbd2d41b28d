"""Docs stay true: every setting documented, every command has an example."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main

from rashomon.cli import app
from rashomon.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented():
    doc = (ROOT / "docs" / "settings.md").read_text()
    for s in SETTINGS:
        assert f"`{s.env}`" in doc, f"{s.name} ({s.env}) missing from docs/settings.md"


def _commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out = []
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):  # a group (typer vendors its own click classes)
            out += _commands(cmd, f"{prefix}{name} ")
        else:
            out.append((f"{prefix}{name}", cmd))
    return out


def test_every_command_has_an_example():
    root = typer.main.get_command(app)
    cmds = _commands(root)
    assert {"ingest", "analyze", "export", "report", "serve", "eval attribution", "eval events", "eval techniques"} <= {n for n, _ in cmds}
    for name, cmd in cmds:
        assert "Example:" in (cmd.help or ""), f"`rashomon {name}` help has no example"


def _example_paths(cmd: Any) -> list[str]:
    """The input paths of a command's help examples (outputs, options and placeholders left out)."""
    import shlex

    paths = []
    for line in (cmd.help or "").splitlines():
        if "Example:" not in line:
            continue
        words = shlex.split(line.split("Example:", 1)[1].split("&&")[0])
        skip_next = False
        for i, w in enumerate(words):
            if skip_next:
                skip_next = False
                continue
            if w in ("--out", "--save", "--db", "--jsonl"):  # written, not read: need not exist yet
                skip_next = True
                continue
            if "=" in w or w.startswith("-") or i < 2:
                continue
            if "/" in w or re.search(r"\.(jsonl|txt|html?|warc|xml|db)$", w):
                paths.append(w)
    return paths


def test_help_examples_use_paths_a_fresh_clone_has():
    """Every input path in a --help example exists in the repository; datasets a user must
    fetch are written DATASETS/... (the eval group's help says what that stands for)."""
    root = typer.main.get_command(app)
    seen = 0
    for name, cmd in _commands(root):
        assert "../shared" not in (cmd.help or ""), f"`rashomon {name}` help points outside the clone"
        for p in _example_paths(cmd):
            seen += 1
            if p.startswith("DATASETS/"):
                assert name.startswith("eval "), f"`rashomon {name}`: only eval examples may name datasets"
                continue
            assert (ROOT / p).exists(), f"`rashomon {name}` example uses {p}, which a fresh clone lacks"
    assert seen >= 5
    assert "DATASETS/" in (root.commands["eval"].help or "")


def test_readme_opens_with_the_two_setup_commands():
    text = (ROOT / "README.md").read_text()
    block = text.split("```sh", 1)[1].split("```", 1)[0]
    lines = [ln.split("#")[0].strip() for ln in block.strip().splitlines()]
    assert lines == ["make demo", "make test"]


def test_readme_links_resolve():
    import re

    text = (ROOT / "README.md").read_text()
    for target in set(re.findall(r"\]\(([^)#]+\.md)\)", text)):
        assert (ROOT / target).is_file(), f"README links to missing {target}"
