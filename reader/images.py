"""The article's images: read from beside the article, measured, and named by their content."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import imagesize

from reader.errors import Problem
from reader.markup import Figure


@dataclass(frozen=True)
class Image:
    """One image file: where the article points, its bytes, its size in pixels, its published name."""

    src: str
    data: bytes
    width: int
    height: int

    @property
    def name(self) -> str:
        """The published file name: the original stem and a hash of the content (cache forever)."""
        path = PurePosixPath(self.src)
        return f"assets/{path.stem}.{hashlib.sha256(self.data).hexdigest()[:10]}{path.suffix.lower()}"


def load_images(
    article_path: str, content_dir: Path, found: Sequence[Figure]
) -> tuple[dict[str, Image], list[Problem]]:
    """Read and measure every image the article shows; return them and a problem for each bad one."""
    images: dict[str, Image] = {}
    problems: list[Problem] = []
    for figure in found:
        if figure.src not in images:
            image = _read(content_dir, figure, str(PurePosixPath(Path(article_path).parent.as_posix()) / figure.src))
            if isinstance(image, str):
                problems.append(Problem(article_path, figure.line, image))
            else:
                images[figure.src] = image
    return images, problems


def _read(content_dir: Path, figure: Figure, shown: str) -> Image | str:
    """The image, or why it cannot be used (shown: the file as the user would name it)."""
    file = content_dir / figure.src
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return f"image '{figure.src}' not found (looked for {shown}); check the path and the file's name"
    except OSError as err:
        return f"image '{figure.src}' cannot be read ({err.strerror}); check the file"
    width, height = imagesize.get(file)
    if width <= 0 or height <= 0:
        kind = file.suffix.lstrip(".").upper()
        return (f"image '{figure.src}' does not say its size (is it really a {kind} image?); "
                "save it again from an image editor")
    return Image(figure.src, data, int(width), int(height))
