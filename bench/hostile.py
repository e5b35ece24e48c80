"""Refusing hostile files: seconds and peak memory of each refusal by the real CLI.

Baseline, measured in the same run: `llmboom validate` of a small valid contribution (the
work any accepted file costs at least). Run from the checkout: `python -m bench.hostile`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.conftest import REPO
from tests.test_cli_failures import HOSTILE, run


def main() -> None:
    baseline = REPO / "tests" / "shapes" / "valid" / "new-fact-with-record.ttl"
    status, _, base_seconds, base_mb = run("validate", str(baseline))
    print(f"baseline validate (exit {status}): {base_seconds:.2f} s, {base_mb:.0f} MB peak")
    print(f"{'file':<22} {'command':<9} {'exit':>4} {'seconds':>8} {'x base':>7} {'peak MB':>8}")
    worst = (0.0, 0.0)
    with tempfile.TemporaryDirectory() as folder:
        for name, data in HOSTILE.items():
            path = Path(folder) / name
            path.write_bytes(data)
            for command in ("validate", "diff"):
                args = (command, str(path)) + ((str(path),) if command == "diff" else ())
                status, _, seconds, megabytes = run(*args)
                worst = (max(worst[0], seconds), max(worst[1], megabytes))
                print(
                    f"{name:<22} {command:<9} {status:>4} {seconds:>8.2f} "
                    f"{seconds / base_seconds:>7.2f} {megabytes:>8.0f}"
                )
    print(f"slowest refusal {worst[0]:.2f} s; highest peak memory {worst[1]:.0f} MB")


if __name__ == "__main__":
    main()
