"""The candidate's own notes (NOTES.md or INCIDENT.md), read safely and rendered as safe HTML.

The notes are untrusted text. The renderer escapes every character first and only then adds
the few tags of a small Markdown subset (headings, lists, fenced code, paragraphs, `code`,
**bold**), so no HTML the candidate wrote, and no link, reaches the interviewer's page live.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from markupsafe import Markup, escape

NOTE_NAMES = ("NOTES.md", "INCIDENT.md")
MAX_NOTE_BYTES = 64 * 1024


@dataclasses.dataclass(frozen=True)
class Note:
    name: str
    text: str
    truncated: bool


def find_notes(workspace: Path) -> list[Note]:
    """NOTES.md and INCIDENT.md at the workspace's top, any letter case."""
    if not workspace.is_dir():
        return []
    wanted = {n.lower(): n for n in NOTE_NAMES}
    notes = []
    for path in sorted(workspace.iterdir()):
        if path.name.lower() in wanted and path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            text = data[:MAX_NOTE_BYTES].decode("utf-8", errors="replace")
            notes.append(Note(path.name, text, len(data) > MAX_NOTE_BYTES))
    return notes


_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*([^*\n]+)\*\*")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")


def _inline(text: str) -> str:
    # ``text`` is already escaped: the patterns only see &lt; and friends, never a tag.
    text = _INLINE_CODE.sub(r"<code>\1</code>", text)
    return _BOLD.sub(r"<strong>\1</strong>", text)


def markdown_to_html(source: str) -> Markup:
    """A small, safe Markdown subset; anything else shows as the text it is."""
    out: list[str] = []
    paragraph: list[str] = []
    list_tag: str | None = None
    code: list[str] | None = None

    def close_paragraph() -> None:
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def close_list() -> None:
        nonlocal list_tag
        if list_tag:
            out.append(f"</{list_tag}>")
            list_tag = None

    for raw in source.splitlines():
        line = str(escape(raw))
        if code is not None:
            if raw.strip().startswith("```"):
                out.append("<pre>" + "\n".join(code) + "</pre>")
                code = None
            else:
                code.append(line)
            continue
        if raw.strip().startswith("```"):
            close_paragraph()
            close_list()
            code = []
            continue
        heading, bullet, numbered = _HEADING.match(line), _BULLET.match(line), _NUMBERED.match(line)
        if heading:
            close_paragraph()
            close_list()
            level = min(len(heading[1]) + 2, 6)  # the page's own headings come first
            out.append(f"<h{level}>{_inline(heading[2])}</h{level}>")
        elif bullet or numbered:
            close_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag != tag:
                close_list()
                out.append(f"<{tag}>")
                list_tag = tag
            item = (bullet or numbered)[1]  # type: ignore[index]
            out.append(f"<li>{_inline(item)}</li>")
        elif not line.strip():
            close_paragraph()
            close_list()
        else:
            close_list()
            paragraph.append(line.strip())
    close_paragraph()
    close_list()
    if code is not None:  # an unclosed fence: still shown, as code
        out.append("<pre>" + "\n".join(code) + "</pre>")
    return Markup("\n".join(out))
