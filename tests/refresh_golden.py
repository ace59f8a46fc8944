"""Rebuild tests/golden/expected/ from tests/golden/input/ after an intended change (`make golden`).

lunr.js is third-party code, so its copy is left out of the expected tree; the golden test checks
that file against node_modules instead. Review the diff (`git diff tests/golden`) before committing.
"""

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import build  # noqa: E402

GOLDEN = HERE / "golden"
EXPECTED = GOLDEN / "expected"
BUILD_ARGS = ["--content", str(GOLDEN / "input" / "content"), "--annotations", str(GOLDEN / "input" / "annotations.yaml"),
              "--base-url", "https://example.org/reader/"]


def is_third_party(relative: Path) -> bool:
    """True for files copied from node_modules, which must not be checked in."""
    return relative.parts[0] == "assets" and relative.name.startswith("lunr.")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        status = build.main(["--out", str(out), *BUILD_ARGS])
        if status:
            return status
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for path in sorted(out.rglob("*")):
            relative = path.relative_to(out)
            if path.is_file() and not is_third_party(relative):
                (EXPECTED / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, EXPECTED / relative)
    print(f"refreshed {EXPECTED.relative_to(HERE.parent)}; review with: git diff tests/golden")
    return 0


if __name__ == "__main__":
    sys.exit(main())
