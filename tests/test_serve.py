"""`build.py --serve`: serves the site, rebuilds on change, keeps the last good site on errors."""

import shutil
import subprocess
import sys
import time
import urllib.request

from tests.conftest import ROOT


def wait_for(predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def test_serve_rebuilds_on_change_and_survives_a_broken_edit(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "golden" / "input" / "content", content)
    notes = tmp_path / "annotations.yaml"
    shutil.copy(ROOT / "tests" / "golden" / "input" / "annotations.yaml", notes)
    out = tmp_path / "_site"
    server = subprocess.Popen(
        [sys.executable, "-u", str(ROOT / "build.py"), "--serve", "--port", "0", "--out", str(out),
         "--content", str(content), "--annotations", str(notes)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    try:
        banner = server.stdout.readline()
        assert banner.startswith(f"serving {out}/ at http://127.0.0.1:"), banner
        url = banner.split(" at ")[1].split()[0]
        assert "Two countries" in fetch(url)

        notes.write_text(notes.read_text().replace("title: Two countries", "title: Two nations"))
        assert wait_for(lambda: "Two nations" in fetch(url)), "the edit was not rebuilt"
        assert server.stdout.readline().endswith("rebuilt\n")

        notes.write_text(notes.read_text().replace("kind: term", "kind: nonsense"))
        error = server.stdout.readline()
        assert error.startswith("error: ") and "kind 'nonsense' is not one of" in error
        assert server.stdout.readline().endswith("rebuild failed; still serving the last good site\n")
        assert "Two nations" in fetch(url)
    finally:
        server.terminate()
        server.wait(timeout=10)
