"""The fonts a browser sees, pinned: layout depends on their metrics, so a machine's own set (a
desktop has many; Debian's chromium brings fonts-liberation with it) must not decide what a test
or a bench run measures.

"liberation" is what Debian gives a reader who installs chromium as the README says: Liberation
Serif and Sans (Times and Arial metrics), DejaVu for what they lack. "dejavu" alone has wider
letters. Layout promises are checked under both.
"""

from __future__ import annotations

from pathlib import Path

FONT_FOLDERS = {"liberation": ("truetype/liberation", "truetype/dejavu"), "dejavu": ("truetype/dejavu",)}
FONT_PACKAGES = {"truetype/liberation": "fonts-liberation", "truetype/dejavu": "fonts-dejavu-core"}
DEFAULT_FONTS = "liberation"
FONTS_ROOT = Path("/usr/share/fonts")
RULES = Path("/etc/fonts/conf.d")


class FontsMissing(Exception):
    """A font set's folder is not on this machine; says which package brings it."""


def font_config(name: str, folder: Path, fonts_root: Path = FONTS_ROOT) -> Path:
    """Write a fontconfig file that shows a browser only the font set `name`; return its path
    (pass it as FONTCONFIG_FILE in the browser's environment)."""
    dirs = []
    for sub in FONT_FOLDERS[name]:
        if not (fonts_root / sub).is_dir():
            package = FONT_PACKAGES[sub]
            raise FontsMissing(f"{fonts_root / sub} is missing; install {package} (apt-get install -y {package}) "
                               "or run .ci/run")
        dirs.append(f"<dir>{fonts_root / sub}</dir>")
    # The system's rules apply (aliases such as Georgia -> a serif with its metrics), but not the
    # ones that add the user's or the machine's own font folders.
    rules = [f"<include>{rule}</include>" for rule in sorted(RULES.glob("*.conf"))
             if rule.name not in ("50-user.conf", "51-local.conf")]
    path = folder / f"fonts-{name}.conf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
                    + "\n".join([*dirs, f"<cachedir>{folder / ('cache-' + name)}</cachedir>", *rules])
                    + "\n</fontconfig>\n", encoding="utf-8")
    return path
