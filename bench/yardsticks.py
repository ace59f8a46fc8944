"""The yardsticks on the same text: `mkdocs build` with the Material theme, and Pagefind indexing our site.

Both are pinned and installed beside the bench, on first use: bench/.venv-mkdocs (pip) and
bench/node_modules (npm ci from bench/package-lock.json). Both folders are gitignored.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from bench.shelf_synthetic import ShelfArticle, write_markdown_pages
from bench.synthetic import Article
from bench.weights import gzip_size

BENCH = Path(__file__).resolve().parent
MKDOCS_VENV = BENCH / ".venv-mkdocs"
MKDOCS = MKDOCS_VENV / "bin" / "mkdocs"
MKDOCS_REQUIREMENTS = ("mkdocs==1.6.1", "mkdocs-material==9.8.1")  # pinned so the yardstick stays put
PAGEFIND = BENCH / "node_modules" / ".bin" / "pagefind"
PAGEFIND_COMPRESSED = (".pf_meta", ".pf_index", ".pf_fragment", ".pagefind", ".wasm")  # Pagefind gzips these itself


def ensure_mkdocs(install: bool) -> Path | None:
    """bench/.venv-mkdocs/bin/mkdocs, created on first use when install is true; None if absent."""
    if not MKDOCS.exists():
        if not install:
            return None
        print(f"  creating bench/.venv-mkdocs with {' '.join(MKDOCS_REQUIREMENTS)} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(MKDOCS_VENV)], check=True)
        pip = [str(MKDOCS_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *MKDOCS_REQUIREMENTS], check=True, capture_output=True)
    return MKDOCS


def ensure_pagefind(install: bool) -> Path | None:
    """bench/node_modules/.bin/pagefind, installed with `npm ci --prefix bench` when install is true; None if absent."""
    if not PAGEFIND.exists():
        if not install:
            return None
        print("  npm ci --prefix bench (pagefind) ...", flush=True)
        subprocess.run(
            ["npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund"], check=True, capture_output=True
        )
    return PAGEFIND


def versions() -> str:
    """The installed yardsticks' versions, for the table's caption."""
    parts = []
    if MKDOCS.exists():
        out = subprocess.run(
            [str(MKDOCS_VENV / "bin" / "pip"), "list", "--format=freeze"], capture_output=True, text=True
        ).stdout
        parts += [
            line.replace("==", " ") for line in out.splitlines() if line.split("==")[0] in ("mkdocs", "mkdocs-material")
        ]
    if PAGEFIND.exists():
        parts.append(subprocess.run([str(PAGEFIND), "--version"], capture_output=True, text=True).stdout.strip())
    return ", ".join(parts) or "none installed"


def write_mkdocs_project(folder: Path, content: Path, article: Article, notes: list[dict]) -> Path:
    """A two-page Material project (the article, the notes) of the same text; return its mkdocs.yml."""
    body = content.read_text(encoding="utf-8")[len(article.front) :]
    title = yaml.safe_load(article.front.strip().strip("-")).get("title", "Article")
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(f"# {title}\n\n{body.strip()}\n", encoding="utf-8")
    (docs / "notes.md").write_text(notes_markdown(notes), encoding="utf-8")
    config = {
        "site_name": title,
        "nav": [{"Article": "index.md"}, {"Notes": "notes.md"}],
        "theme": {"name": "material"},
        "plugins": ["search"],
    }
    mkdocs_yml = folder / "mkdocs.yml"
    mkdocs_yml.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return mkdocs_yml


def notes_markdown(notes: list[dict]) -> str:
    """The notes as one Markdown page: a heading, the quote, the body and sources per note."""
    parts = ["# Editor's notes\n"]
    for note in notes:
        anchor = f"\u201c{note['quote']}\u201d" if "quote" in note else f"paragraph {note.get('paragraph')}"
        sources = "\n".join(f"- [{src['title']}]({src['url']})" for src in note.get("sources", []))
        parts.append(
            f"## {note['title']}\n\n*{note['kind']}* \u00b7 {anchor}\n\n{note['body']}\n\nSources:\n\n{sources}\n"
        )
    return "\n".join(parts)


def write_mkdocs_shelf(folder: Path, shelf: tuple[ShelfArticle, ...] | list[ShelfArticle]) -> Path:
    """A Material project of a shelf's text, one page an article (its notes as sections); return its mkdocs.yml."""
    docs = folder / "docs"
    write_markdown_pages(list(shelf), docs)
    (docs / "index.md").write_text("# Shelf\n\nSearch the shelf.\n", encoding="utf-8")
    config = {"site_name": "Shelf", "theme": {"name": "material", "font": False}, "plugins": ["search"]}
    (folder / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")
    return folder / "mkdocs.yml"


def mkdocs_cmd(mkdocs_yml: Path) -> list[str]:
    """`mkdocs build -q` of a project into its site/ folder."""
    return [str(MKDOCS), "build", "-q", "-f", str(mkdocs_yml), "-d", str(mkdocs_yml.parent / "site")]


def pagefind_cmd(site: Path, out: Path, glob: str | None = None) -> list[str]:
    """Pagefind indexing a built site (its pages matching glob, default all) into out (not into the site)."""
    return [str(PAGEFIND), "--site", str(site), "--output-path", str(out), "--silent", *(["--glob", glob] if glob else [])]


def sent_size(path: Path) -> int:
    """Bytes a server sends for a file: gzip -9, but Pagefind's own files, compressed already, as they are."""
    data = path.read_bytes()
    return len(data) if path.name.endswith(PAGEFIND_COMPRESSED) else gzip_size(data)
