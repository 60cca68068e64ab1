"""Size limits that keep ``src/ece`` readable: the median module stays short and no function
grows past one screen. A change that breaks them splits the function or module into named
steps instead of raising the limit."""

from __future__ import annotations

import ast
import statistics
from pathlib import Path

import ece

SRC = Path(ece.__file__).parent
MAX_FUNCTION_LINES = 80
MAX_MEDIAN_MODULE_LINES = 150


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_no_function_is_longer_than_a_screen() -> None:
    too_long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name} {lines}")
    assert not too_long


def test_the_median_module_is_short() -> None:
    sizes = [len(path.read_text().splitlines()) for path in _modules()]
    assert len(sizes) > 100
    assert statistics.median(sizes) <= MAX_MEDIAN_MODULE_LINES
