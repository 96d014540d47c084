"""Jinja's sandbox with bounds on what a template can build: a template from a template dir
(a cloned repository's configuration can name one) must not take the machine's memory or time
with one expression."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from mdplan.model import patterns

MAX_BUILT = 10_000_000  # items (characters) one ``*`` may build, bits one ``**`` may
MAX_RANGE_ITEMS = 1_000_000  # items every ``range`` of one rendering may give together
_SIZED_FILTERS = ("center", "indent", "wordwrap", "truncate", "format")  # filters that take a width
_SIZED_METHODS = ("center", "ljust", "rjust", "zfill", "expandtabs")
# a width or precision of 8 digits or more in a format string: '%20000000d', '{:>20000000}'
_WIDTH = patterns.compile(r"(?:%[-#0 +]*\.?|\{[^{}]*?)(?<!\d)(\d{8,})")


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, with ``*`` and ``**`` refused past ``MAX_BUILT``, widths past it refused
    in ``%`` formatting, calls and filters (``'x'|center(2000000000)``, ``'%2000000000d' % 1``),
    and ``range`` counted against ``MAX_RANGE_ITEMS`` (one environment renders one report)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.range_items_left = MAX_RANGE_ITEMS
        self.globals["range"] = self.counted_range
        for name in _SIZED_FILTERS:
            self.filters[name] = _bounded(self.filters[name])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if _built_size(operator, left, right) > MAX_BUILT:
            raise SecurityError(f"the result of {operator!r} would be too large (over {MAX_BUILT:,})")
        if operator == "%" and isinstance(left, str):  # '%2000000000d' % 1, '%*d' % (2000000000, 1)
            _refuse_large((left, *(right if isinstance(right, tuple) and "*" in left else ())))
        return super().call_binop(context, operator, left, right)

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if isinstance(owner, (str, bytes)) and name in _SIZED_METHODS:  # 'x'.ljust(2000000000)
            _refuse_large((*args, *kwargs.values()))
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:  # Jinja 3.1.5 on: '{:>2000000000}'.format(1)
        if getattr(value, "__name__", "") in ("format", "format_map") and isinstance(
            getattr(value, "__self__", None), str
        ):
            _refuse_large((value.__self__,))
        return super().wrap_str_format(value)

    def format_string(self, s: str, *rest: Any) -> Any:  # Jinja before 3.1.5 formats here
        _refuse_large((s,))
        return super().format_string(s, *rest)  # type: ignore[misc]

    def counted_range(self, *args: int) -> range:
        items = range(*args)
        self.range_items_left -= len(items)
        if self.range_items_left < 0:
            raise SecurityError(f"range() gives more than {MAX_RANGE_ITEMS:,} items in one rendering")
        return items


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache held in memory: each environment is new (its ``range`` budget is
    one rendering's), but a template is compiled once per process, about 0.07 s for the report's
    templates. Jinja keys an entry by the template's name and file and checks it against the
    source's checksum, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


COMPILED_TEMPLATES = CompiledTemplates()


def _built_size(operator: str, left: object, right: object) -> int:
    """How large ``left OPERATOR right`` would be: items of a repeated sequence, bits of a
    power of integers (0 where it is small by nature)."""
    if operator == "*":
        count, sequence = (right, left) if isinstance(right, int) else (left, right)
        if isinstance(count, int) and isinstance(sequence, (str, bytes, list, tuple)):
            return len(sequence) * max(count, 0)
        return 0
    if isinstance(left, int) and isinstance(right, int) and right > 0:
        return max(abs(left).bit_length() - 1, 0) * right
    return 0


def _bounded(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that takes a width, refusing widths past ``MAX_BUILT``: numbers among its
    arguments, and in the format string ``format`` is given (its value; ``jinja_pass_arg`` and
    the rest of the filter's attributes kept by ``wraps``)."""

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        formats = function.__name__ == "do_format"
        _refuse_large((*(a for a in args if isinstance(a, int) or (formats and isinstance(a, str))), *kwargs.values()))
        return function(*args, **kwargs)

    return bounded


def _refuse_large(values: Iterable[object]) -> None:
    for value in values:
        if isinstance(value, int) and value > MAX_BUILT:
            raise SecurityError(f"a number past {MAX_BUILT:,} given to a call")
        if isinstance(value, str) and any(int(run) > MAX_BUILT for run in _WIDTH.findall(value)):
            raise SecurityError(f"a width past {MAX_BUILT:,} in a format string")
