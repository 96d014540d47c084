"""Analysis -> Markdown, through Jinja2 templates (overridable by name with a template dir).

Document text reaches templates only as data in the context, never as template source.
Templates run in Jinja's sandbox (``jinja2.sandbox``): a template from a template dir can read
the context but cannot reach Python internals (``cycler.__init__.__globals__``); trying is
``MP018``, as is any other fault of a template, and nothing is written. The sandbox also
bounds what one expression can build (``sandbox.BoundedSandbox``: ``'x' * 10**10``, ``9 ** 10**8``)
and the items all ``range`` calls of one rendering give, so such a template is refused at
once; a template can still loop over the context's own lists as it likes.

Every ``{{ … }}`` output passes through ``inert`` (the environment's ``finalize``): text taken
from the document cannot open an HTML tag, comment or autolink (``<`` before a letter, ``/``,
``!`` or ``?`` becomes ``&lt;``, which the canonical form then writes ``\\<``) nor an inline
link (``](`` becomes ``]\\(``), so a label that was inert in a code block stays inert in the
report. Code blocks (``fence``) are marked as such and pass unchanged. (Python-Markdown, which
MkDocs uses, does not read ``\\<`` as an escape: the MkDocs plugin writes those as ``&lt;``.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from mdplan.analyze import Analysis
from mdplan.model import patterns
from mdplan.model.errors import UnusableInput
from mdplan.render.canonical import normalize, normalized_parts
from mdplan.render.context import build_context
from mdplan.render.wrap import wrap_parts

if TYPE_CHECKING:
    from jinja2 import Environment

REPORT_TEMPLATE = "report.md.j2"
BAD_TEMPLATE = "MP018"
_TAG_OPEN = patterns.compile(r"<(?=[A-Za-z/!?])")


def bundled_template_dir() -> Path:
    """Templates inside the installed package, or the checkout's top-level ``templates/``."""
    packaged = Path(str(files("mdplan"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


def make_environment(template_dir: Path | None = None) -> Environment:
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined

    from mdplan.render.sandbox import COMPILED_TEMPLATES, BoundedSandbox

    loaders = [FileSystemLoader(template_dir)] if template_dir else []
    loaders.append(FileSystemLoader(bundled_template_dir()))
    env = BoundedSandbox(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        finalize=inert,
        bytecode_cache=COMPILED_TEMPLATES,
    )
    env.filters["cell"] = table_cell
    env.filters["fence"] = fence
    return env


def render_template(name: str, context: dict[str, object], template_dir: Path | None = None) -> str:
    """The template ``name`` rendered with ``context``, normalized, its prose lines fitted to 120
    columns; a template's fault is ``UnusableInput`` (MP018) naming the template and its line:
    any exception while a template loads or renders (a template that includes itself, divides
    by zero, is not UTF-8) is the template's."""
    return "\n".join(render_parts(name, context, template_dir))


def render_parts(name: str, context: dict[str, object], template_dir: Path | None = None) -> Iterator[str]:
    """:func:`render_template`'s text in parts (joined by newlines, they are that text), each
    made as the template's output reaches it: the whole output is never held at once."""
    yield from wrap_parts(normalized_parts(_template_output(name, context, template_dir)))


def _template_output(name: str, context: dict[str, object], template_dir: Path | None) -> Iterator[str]:
    try:
        yield from make_environment(template_dir).get_template(name).generate(context)
    except Exception as error:  # a template is a program of its own: its faults are MP018
        raise _template_fault(error, name) from None


def _template_fault(error: Exception, name: str) -> UnusableInput:
    from jinja2 import TemplateError, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    path, line = name, 1
    if isinstance(error, TemplateSyntaxError):
        path, line = error.filename or error.name or name, error.lineno
    else:
        path, line = _template_frame(error) or (path, line)
    what = "does what the template sandbox forbids" if isinstance(error, SecurityError) else "cannot be rendered"
    told = error.message if isinstance(error, TemplateError) else f"{type(error).__name__}: {error}"
    return UnusableInput(path, BAD_TEMPLATE, f"template {what}: {told or type(error).__name__}", line)


def _template_frame(error: BaseException) -> tuple[str, int] | None:
    """The innermost template file and line of a rendering error's traceback."""
    import traceback

    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
    return (frames[-1].filename, frames[-1].lineno or 1) if frames else None


def inert(value: object) -> object:
    """What a ``{{ … }}`` prints: text that opens no HTML tag and no inline link; code (Markup,
    from ``fence``) and numbers as they are. Idempotent, so a macro's output printed again
    is not escaped twice."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return _TAG_OPEN.sub("&lt;", value).replace("](", "]\\(")


def fence(text: object, info: str = "") -> Markup:
    """A fenced code block longer than any backtick run inside it (code: printed unescaped)."""
    body = str(text)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    marker = "`" * max(3, longest + 1)
    return Markup(f"{marker}{info}\n{body}\n{marker}")


def table_cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_report(analysis: Analysis, template_dir: Path | None = None) -> str:
    """The report of ``analysis``. Only the parts' generator holds the context, so it is let go
    once the template has run."""
    return joined(render_parts(REPORT_TEMPLATE, build_context(analysis), template_dir))


def joined(parts: Iterable[str]) -> str:
    """``"\\n".join(parts)``, each part written into one UTF-8 buffer as it comes and let go:
    a large report's parts (megabytes) and the text they make are never held at once."""
    buffer = bytearray()
    for number, part in enumerate(parts):
        if number:
            buffer += b"\n"
        buffer += part.encode("utf-8", "surrogatepass")
    return buffer.decode("utf-8", "surrogatepass")


__all__ = [
    "bundled_template_dir",
    "joined",
    "make_environment",
    "normalize",
    "render_parts",
    "render_report",
    "render_template",
]
