"""Run pytest; "no tests collected" (exit 5) is a failure, never a silent pass."""

from __future__ import annotations

import sys

import pytest

if __name__ == "__main__":
    code = pytest.main(["-p", "no:cacheprovider", *sys.argv[1:]])
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("pytest collected no tests: failing the run", file=sys.stderr)
        sys.exit(1)
    sys.exit(int(code))
