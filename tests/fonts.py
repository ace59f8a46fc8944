"""The fonts a browser sees, pinned: layout depends on their metrics, so a machine's own set (a
desktop has many; Debian's chromium brings fonts-liberation with it) must not decide what a test
or a bench run measures.

"liberation" is what Debian gives a reader who installs chromium as the README says: Liberation
Serif and Sans (Times and Arial metrics), DejaVu for what they lack. "dejavu" alone has wider
letters. Layout promises are checked under both. Both also carry the fonts of the Chinese, Japanese,
Arabic and Hebrew fixtures (WORLD).
"""

from __future__ import annotations

from pathlib import Path

# Both sets reach beyond Latin with the same two small packages: Droid Sans Fallback (Han, kana, Hangul;
# 1.8 MB, where Noto CJK is 56 MB) and Amiri (an Arabic Naskh serif; 0.6 MB); DejaVu Sans has Hebrew and
# Arabic. A Latin page never uses them: fontconfig falls back to them only for characters the others lack.
WORLD = ("truetype/droid", "opentype/fonts-hosny-amiri")
FONT_FOLDERS = {"liberation": ("truetype/liberation", "truetype/dejavu", *WORLD), "dejavu": ("truetype/dejavu", *WORLD)}
FONT_PACKAGES = {"truetype/liberation": "fonts-liberation", "truetype/dejavu": "fonts-dejavu-core",
                 "truetype/droid": "fonts-droid-fallback", "opentype/fonts-hosny-amiri": "fonts-hosny-amiri"}
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
