"""The golden example site: a small fixture built and compared file by file with tests/golden/expected.

After an intended change to the output, refresh the expected tree with `make golden` and review
`git diff tests/golden`.
"""

import difflib
from pathlib import Path

from tests.conftest import ROOT, run_build, tree_bytes
from tests.refresh_golden import BUILD_ARGS, EXPECTED, is_third_party


def test_golden_site_matches_expected_tree(tmp_path):
    out = tmp_path / "site"
    done = run_build("--out", str(out), *BUILD_ARGS)
    assert done.returncode == 0, done.stderr
    built = tree_bytes(out)
    third_party = {name for name in built if is_third_party(Path(name))}
    expected = tree_bytes(EXPECTED)
    assert sorted(set(built) - third_party) == sorted(expected), "files differ; run `make golden` if intended"
    for name in sorted(expected):
        if built[name] != expected[name]:
            diff = "\n".join(difflib.unified_diff(
                expected[name].decode("utf-8", "replace").splitlines(), built[name].decode("utf-8", "replace").splitlines(),
                f"expected/{name}", f"built/{name}", lineterm="", n=2))
            raise AssertionError(f"{name} differs from the golden copy (run `make golden` if intended):\n{diff[:4000]}")
    (lunr_name,) = third_party
    assert built[lunr_name] == (ROOT / "node_modules" / "lunr" / "lunr.min.js").read_bytes()
