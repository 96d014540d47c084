"""Cue words, one table per language: the words plans use to state dependencies.

A table names, for one language:

- ``units``: the words for a unit of work before its number (``Fase 2``, ``阶段 1``), by the
  unit kind of :mod:`mdplan.parse.ids` they stand for;
- ``depends_fields``: field names whose value is what the unit waits for (``Depends on:``,
  ``Dépend de :``, ``依存:``);
- ``blocks_fields``: field names whose value waits for the unit (``Blocks:``, ``Bloquea:``);
- ``after``: phrases in a sentence about the unit followed by what it waits for
  (``waits for``, ``después de``);
- ``parallel``: phrases followed by units it may overlap with, never an edge
  (``in parallel with``, ``en paralelo con``, ``independent of``);
- ``none``: values saying the unit waits for nothing (``None``, ``Aucune``, ``なし``);
- ``columns``: table headers of a dependency column (``Depends on``, ``Abhängigkeiten``).

Adding a language is adding a table here (and its fixture in ``fixtures/notations/``);
duration units live in :mod:`mdplan.parse.durations`. The tables are compiled once, into the
patterns at the end of this module, which the recognizers share.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import NamedTuple

from mdplan.model import patterns


class Cues(NamedTuple):
    units: dict[str, tuple[str, ...]]
    depends_fields: tuple[str, ...]
    blocks_fields: tuple[str, ...]
    after: tuple[str, ...]
    parallel: tuple[str, ...]
    none: tuple[str, ...]
    columns: tuple[str, ...]
    sequence: tuple[str, ...] = ()  # a heading word saying its units run in order: ``Merge order``
    durations: tuple[str, ...] = ()  # a field or column of a unit's length: ``Durée :``, ``| Aufwand |``
    once: tuple[str, ...] = ()  # opens a clause naming what a unit waits for: ``Once step 4 is done, …``
    and_words: tuple[str, ...] = ()  # joins a list: ``Fase 2 y 3``
    to_words: tuple[str, ...] = ()  # makes a range: ``Phases 1 à 5``


LANGUAGES: dict[str, Cues] = {
    "en": Cues(
        units={},  # the English words are the units' own (mdplan.parse.ids.UNITS)
        depends_fields=(
            "dependencies",
            "dependency",
            "depends on",
            "depends upon",
            "depends",
            "depends-on",
            "depends_on",
            "dependson",
            "prerequisites",
            "prerequisite",
            "prereqs",
            "requires",
            "blocked by",
            "blockers",
            "blocker",
            "waits on",
            "waits for",
            "needs",
            "upstream",
            "predecessors",
        ),
        blocks_fields=(
            "blocks",
            "unblocks",
            "enables",
            "required for",
            "required by",
            "needed by",
            "downstream",
            "successors",
            "feeds",
            "feeds into",
        ),
        after=(
            "waits for",
            "wait for",
            "depends on",
            "relies on",
            "after",
            "blocked by",
            "requires",
            "needs",
            "stacked on",
            "stacks on",
            "built on top of",
            "builds on",
        ),
        parallel=(
            "in parallel with",
            "parallel with",
            "parallelize with",
            "parallelise with",
            "parallelized with",
            "parallel to",
            "concurrently with",
            "alongside",
            "independent of",
            "independently of",
        ),
        none=(
            "none",
            "nothing",
            "no dependencies",
            "no dependency",
            "no prerequisites",
            "n/a",
            "independent",
            "-",
            "—",
            "–",
        ),
        columns=(
            "depends",
            "dependencies",
            "dependency",
            "blocked by",
            "prereq",
            "after",
            "requires",
            "needs",
            "predecessors",
            "upstream",
            "waits for",
        ),
        sequence=("sequence", "order", "merge order", "execution order", "rollout order", "sequencing"),
        durations=(
            "duration",
            "estimate",
            "estimated",
            "estimates",
            "estimated effort",
            "estimated time",
            "estimated duration",
            "time estimate",
            "effort",
            "est",
            "est.",
            "time",
            "size",
            "budget",
            "timebox",
            "hours",
            "days",
        ),
        once=("once", "when", "after", "as soon as", "only after", "only once"),
        and_words=("and", "or"),
        to_words=("to", "through", "thru"),
    ),
    "fr": Cues(
        units={
            "phase": ("phase", "phases"),
            "step": ("étape", "étapes", "etape", "etapes"),
            "task": ("tâche", "tâches", "tache", "taches"),
            "wave": ("vague", "vagues"),
            "stage": ("palier",),
            "milestone": ("jalon", "jalons"),
            "sprint": ("sprint",),
            "part": ("partie",),
        },
        depends_fields=(
            "dépend de",
            "dépendances",
            "dépendance",
            "dépend",
            "prérequis",
            "pré-requis",
            "bloqué par",
            "bloquée par",
            "après",
            "nécessite",
            "requiert",
        ),
        blocks_fields=("bloque", "débloque", "requis pour", "nécessaire pour"),
        after=("dépend de", "après", "attend", "nécessite"),
        parallel=("en parallèle avec", "en parallèle de", "parallèlement à", "indépendant de", "indépendante de"),
        none=("aucune", "aucun", "rien", "néant", "indépendant", "indépendante"),
        columns=("dépend", "dépendance", "prérequis", "bloqué par", "après"),
        sequence=("ordre", "séquence", "séquencement"),
        durations=("durée", "durée estimée", "estimation", "estimé", "charge", "effort", "temps", "temps estimé"),
        once=("une fois que", "une fois", "quand", "lorsque", "dès que", "après que", "après"),
        and_words=("et", "ou"),
        to_words=("à", "a"),
    ),
    "de": Cues(
        units={
            "phase": ("phase", "phasen"),
            "step": ("schritt", "schritte"),
            "task": ("aufgabe", "aufgaben"),
            "stage": ("stufe", "stufen"),
            "wave": ("welle", "wellen"),
            "milestone": ("meilenstein",),
            "part": ("teil",),
            "epic": ("epic",),
        },
        depends_fields=(
            "abhängigkeiten",
            "abhängigkeit",
            "abhängig von",
            "hängt ab von",
            "voraussetzungen",
            "voraussetzung",
            "blockiert durch",
            "benötigt",
            "nach",
            "erfordert",
        ),
        blocks_fields=("blockiert", "ermöglicht", "erforderlich für", "benötigt für"),
        after=("abhängig von", "wartet auf", "nach abschluss von", "nach", "benötigt", "setzt voraus"),
        parallel=("parallel zu", "parallel mit", "gleichzeitig mit", "unabhängig von"),
        none=("keine", "kein", "nichts", "unabhängig"),
        columns=("abhängig", "voraussetzung", "blockiert durch", "nach"),
        sequence=("reihenfolge", "abfolge"),
        durations=("dauer", "aufwand", "schätzung", "geschätzte dauer", "geschätzter aufwand", "zeitaufwand", "zeit"),
        once=("sobald", "wenn", "nachdem", "nach"),
        and_words=("und", "oder"),
        to_words=("bis",),
    ),
    "es": Cues(
        units={
            "phase": ("fase", "fases"),
            "step": ("paso", "pasos"),
            "task": ("tarea", "tareas"),
            "stage": ("etapa", "etapas"),
            "wave": ("oleada", "oleadas"),
            "milestone": ("hito", "hitos"),
            "part": ("parte",),
        },
        depends_fields=(
            "dependencias",
            "dependencia",
            "depende de",
            "depende",
            "requisitos previos",
            "prerrequisitos",
            "requisitos",
            "requiere",
            "bloqueado por",
            "bloqueada por",
            "después de",
        ),
        blocks_fields=("bloquea", "desbloquea", "necesario para", "requerido por", "requerida por"),
        after=("depende de", "después de", "tras", "espera a", "requiere"),
        parallel=("en paralelo con", "paralelo a", "paralela a", "independiente de", "simultáneamente con"),
        none=("ninguna", "ninguno", "nada", "independiente", "sin dependencias"),
        columns=("depende", "dependencias", "dependencia", "requisitos", "bloqueado por"),
        sequence=("orden", "secuencia"),
        durations=("duración", "estimación", "esfuerzo", "tiempo", "tiempo estimado", "duración estimada"),
        once=("una vez que", "una vez", "cuando", "después de que", "tras"),
        and_words=("y", "e", "o"),
        to_words=("a", "hasta"),
    ),
    "pt": Cues(
        units={
            "phase": ("fase", "fases"),
            "step": ("passo", "passos"),
            "task": ("tarefa", "tarefas"),
            "wave": ("onda", "ondas"),
        },
        depends_fields=(
            "dependências",
            "dependência",
            "dependencias",
            "depende de",
            "pré-requisitos",
            "pré-requisito",
            "requer",
            "bloqueado por",
            "bloqueada por",
            "após",
            "depois de",
        ),
        blocks_fields=("bloqueia", "desbloqueia", "necessário para", "necessária para"),
        after=("depende de", "após", "depois de", "aguarda", "requer"),
        parallel=("em paralelo com", "paralelo a", "paralela a", "independente de"),
        none=("nenhuma", "nenhum", "nada", "independente", "sem dependências"),
        columns=("depende", "dependência", "dependências", "pré-requisito", "bloqueado por"),
        sequence=("ordem", "sequência"),
        durations=("duração", "estimativa", "esforço", "tempo", "tempo estimado", "duração estimada"),
        once=("assim que", "quando", "depois que", "após"),
        and_words=("e", "ou"),
        to_words=("a", "até"),
    ),
    "it": Cues(
        units={
            "phase": ("fase", "fasi"),
            "step": ("passo", "passi", "passaggio"),
            "task": ("compito", "attività"),
            "stage": ("stadio",),
            "wave": ("ondata", "ondate"),
            "milestone": ("traguardo",),
        },
        depends_fields=(
            "dipendenze",
            "dipendenza",
            "dipende da",
            "prerequisiti",
            "prerequisito",
            "bloccato da",
            "bloccata da",
            "dopo",
            "richiede",
        ),
        blocks_fields=("blocca", "sblocca", "necessario per", "richiesto da"),
        after=("dipende da", "dopo", "attende", "richiede"),
        parallel=("in parallelo con", "parallelo a", "indipendente da"),
        none=("nessuna", "nessuno", "niente", "indipendente"),
        columns=("dipende", "dipendenze", "dipendenza", "prerequisiti", "bloccato da"),
        sequence=("ordine", "sequenza"),
        durations=("durata", "stima", "sforzo", "tempo", "tempo stimato", "durata stimata"),
        once=("una volta che", "quando", "dopo che", "appena"),
        and_words=("e", "o"),
        to_words=("a", "fino a"),
    ),
    "nl": Cues(
        units={
            "phase": ("fase", "fasen"),
            "step": ("stap", "stappen"),
            "task": ("taak", "taken"),
            "milestone": ("mijlpaal",),
        },
        depends_fields=(
            "afhankelijkheden",
            "afhankelijkheid",
            "afhankelijk van",
            "hangt af van",
            "vereisten",
            "vereist",
            "geblokkeerd door",
            "na",
        ),
        blocks_fields=("blokkeert", "nodig voor", "vereist voor"),
        after=("afhankelijk van", "hangt af van", "wacht op", "na"),
        parallel=("parallel met", "parallel aan", "tegelijk met", "onafhankelijk van"),
        none=("geen", "niets", "onafhankelijk"),
        columns=("afhankelijk", "vereisten", "geblokkeerd door"),
        sequence=("volgorde",),
        durations=("duur", "schatting", "inspanning", "tijd", "geschatte duur"),
        once=("zodra", "wanneer", "nadat", "na"),
        and_words=("en",),
        to_words=("tot", "t/m"),
    ),
    "ja": Cues(
        units={
            "phase": ("フェーズ", "段階"),
            "step": ("ステップ", "手順"),
            "task": ("タスク",),
            "stage": ("ステージ",),
            "wave": ("ウェーブ",),
            "milestone": ("マイルストーン",),
            "sprint": ("スプリント",),
        },
        depends_fields=("依存", "依存関係", "前提条件", "前提", "先行タスク", "ブロッカー"),
        blocks_fields=("後続", "ブロック"),
        after=("完了後", "の後"),
        parallel=("と並行", "並行して", "と同時に"),
        none=("なし", "無し", "ない"),
        columns=("依存", "依存関係", "前提", "先行"),
        sequence=("順序", "順番", "実行順"),
        durations=("所要時間", "所要", "見積もり", "見積", "工数", "期間", "予定工数"),
        and_words=("と", "、"),
        to_words=("〜", "～"),
    ),
    "zh": Cues(
        units={
            "phase": ("阶段", "階段"),
            "step": ("步骤", "步驟"),
            "task": ("任务", "任務"),
            "stage": ("阶段",),
            "wave": ("波次",),
            "milestone": ("里程碑",),
            "sprint": ("冲刺",),
        },
        depends_fields=("依赖", "依賴", "前置依赖", "前置条件", "前置", "依赖于", "阻塞于"),
        blocks_fields=("阻塞", "后续"),
        after=("之后", "完成后"),
        parallel=("并行", "並行", "同时进行"),
        none=("无", "没有", "無"),
        columns=("依赖", "依賴", "前置"),
        sequence=("顺序", "執行順序", "执行顺序"),
        durations=("时长", "预计时间", "工期", "工时", "预计工时", "估时", "耗时", "预估"),
        and_words=("和", "与", "及", "、"),
        to_words=("至", "到", "〜", "～"),
    ),
    "ko": Cues(
        units={
            "phase": ("단계", "페이즈"),
            "step": ("스텝",),
            "task": ("작업", "태스크"),
            "wave": ("웨이브",),
            "milestone": ("마일스톤",),
            "sprint": ("스프린트",),
        },
        depends_fields=("의존성", "의존", "선행 작업", "선행", "선행 조건", "전제 조건"),
        blocks_fields=("후속", "차단"),
        after=("완료 후", "이후"),
        parallel=("병렬", "동시에"),
        none=("없음", "없다"),
        columns=("의존", "의존성", "선행"),
        sequence=("순서",),
        durations=("기간", "소요 시간", "예상 시간", "공수", "소요"),
        and_words=("및", "와", "과"),
        to_words=("~", "〜"),
    ),
    "ru": Cues(
        units={
            # Russian declines its nouns: ``после этапа 3``, ``от этапов 1 и 2``
            "phase": (
                "фаза",
                "фазы",
                "фазу",
                "фазе",
                "фаз",
                "этап",
                "этапы",
                "этапа",
                "этапов",
                "этапе",
                "этапу",
                "этапам",
            ),
            "step": ("шаг", "шаги", "шага", "шагов", "шаге", "шагу"),
            "task": ("задача", "задачи"),
            "wave": ("волна",),
            "milestone": ("веха",),
            "sprint": ("спринт",),
        },
        depends_fields=("зависимости", "зависимость", "зависит от", "предусловия", "требует", "блокируется", "после"),
        blocks_fields=("блокирует", "нужно для", "необходимо для"),
        after=("зависит от", "после завершения", "после окончания", "после", "ждёт", "ждет"),
        parallel=("параллельно с", "одновременно с", "независимо от", "не зависит от"),
        none=("нет", "отсутствуют", "независимо"),
        columns=("зависит", "зависимости", "предусловия"),
        sequence=("порядок", "последовательность"),
        durations=("длительность", "оценка", "срок", "трудозатраты", "время"),
        once=("как только", "когда", "после того как", "после"),
        and_words=("и", "или"),
        to_words=("по", "до"),
    ),
    "vi": Cues(
        units={
            "phase": ("giai đoạn", "pha"),
            "step": ("bước",),
            "task": ("nhiệm vụ", "tác vụ"),
            "wave": ("đợt",),
            "milestone": ("cột mốc",),
        },
        depends_fields=("phụ thuộc", "phụ thuộc vào", "điều kiện tiên quyết", "tiên quyết", "sau"),
        blocks_fields=("chặn", "cần cho"),
        after=("phụ thuộc vào", "sau khi", "sau"),
        parallel=("song song với", "song song", "độc lập với"),
        none=("không", "không có"),
        columns=("phụ thuộc", "tiên quyết"),
        sequence=("thứ tự", "trình tự"),
        durations=("thời gian", "ước tính", "thời lượng"),
        once=("khi", "sau khi"),
        and_words=("và", "hoặc"),
        to_words=("đến", "tới"),
    ),
}


def _all(part: str) -> list[str]:
    words: set[str] = set()
    for cues in LANGUAGES.values():
        words.update(getattr(cues, part))
    return sorted(words, key=lambda word: (-len(word), word))  # the longest spelling wins; ties in one order


def _alternation(part: str, *, cheap: bool = False) -> str:
    """The words of ``part`` as a regex alternation; ``cheap`` leaves out punctuation and short
    Latin words (``na``), which would make the keyword test pass on almost any line."""
    words = [w for w in _all(part) if not cheap or not (w.isascii() and (len(w) < 3 or not w[0].isalpha()))]
    return "|".join(re.escape(word.lower()).replace(r"\ ", r"\s+") for word in words)


def unit_words(kind: str) -> tuple[str, ...]:
    """Every language's words for one unit kind (``phase``: ``fase``, ``阶段`` …)."""
    return tuple(word for cues in LANGUAGES.values() for word in cues.units.get(kind, ()))


def words(part: str) -> str:
    """A cue part of every language as a regex alternation (``and_words``: ``and|y|und|…``)."""
    return _alternation(part)


_COLON = r"\s*[:：]\s*"


class Found:
    """A match made on lower-cased text, read back from the text as written."""

    __slots__ = ("_match", "_text")

    def __init__(self, match: re.Match[str], text: str) -> None:
        self._match = match
        self._text = text

    def __getitem__(self, group: int | str) -> str:
        start, end = self._match.span(group)
        return self._text[start:end] if start >= 0 else ""

    def start(self, group: int | str = 0) -> int:
        return self._match.start(group)

    def end(self, group: int | str = 0) -> int:
        return self._match.end(group)


@functools.lru_cache(maxsize=8)
def lower_case(text: str) -> str:
    """``text`` in lower case, once per text: the rules read one clause with many cue patterns,
    at every reference in it (lowering it again at each made a long clause quadratic)."""
    return text.lower()


class CuePattern:
    """A cue pattern (its words in lower case) matched on lower-cased text: Python's ``re`` is
    five to ten times slower on long alternations with ``IGNORECASE``. Where lowering changes a
    text's length (a few Unicode letters), the ``IGNORECASE`` form is used instead."""

    __slots__ = ("_folding", "_lower", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern  # compiled on first use: a long alternation costs milliseconds
        self._lower: re.Pattern[str] | None = None
        self._folding: re.Pattern[str] | None = None

    def search(self, text: str, pos: int = 0) -> Found | None:
        return self._found(text, lambda pattern, subject: pattern.search(subject, pos))

    def match(self, text: str, pos: int = 0) -> Found | None:
        return self._found(text, lambda pattern, subject: pattern.match(subject, pos))

    def fullmatch(self, text: str) -> Found | None:
        return self._found(text, lambda pattern, subject: pattern.fullmatch(subject))

    def _found(self, text: str, run: Callable[[re.Pattern[str], str], re.Match[str] | None]) -> Found | None:
        lowered = lower_case(text)
        if len(lowered) == len(text):
            self._lower = self._lower or patterns.compile(self.pattern)
            found = run(self._lower, lowered)
        else:
            self._folding = self._folding or patterns.compile(self.pattern, re.IGNORECASE)
            found = run(self._folding, text)
        return Found(found, text) if found else None


# ``Depends on: X``, ``**Dépend de :** X``, ``依存：X`` (markup already stripped)
DEPENDS_FIELD = CuePattern(rf"^(?:{_alternation('depends_fields')}){_COLON}(?P<value>.*)")
BLOCKS_FIELD = CuePattern(rf"^(?:{_alternation('blocks_fields')}){_COLON}(?P<value>.*)")
# ``después de Fase 1``, ``nach Phase 2``: what follows must start with a unit's id
AFTER = CuePattern(rf"(?<!\w)(?:{_alternation('after')})(?!\w)\s*[:：]?\s*(?P<value>.*)")
PARALLEL = CuePattern(rf"(?:{_alternation('parallel')})\s*[:：]?\s*(?P<value>.*)")
NONE = CuePattern(rf"^\s*(?:{_alternation('none')})(?![\w-])")
NONE_CELL = CuePattern(rf"^\s*(?:(?:{_alternation('none')})(?![\w-])[^,;]*)?$")
DEPENDS_COLUMN = CuePattern(_alternation("columns"))
# ``**Durée estimée :** 3 jours``, ``- Size: 3 weeks``; a table column ``| Aufwand (Tage) |``
DURATION_FIELD = CuePattern(rf"^\W*(?:{_alternation('durations')}|timeline){_COLON}(?P<value>.+)")
DURATION_COLUMN = CuePattern(rf"^(?:{_alternation('durations')}|t-shirt)(?![^\W\d_])")
# a sentence that opens with ``once`` / ``when`` / ``after``: its first clause (to the comma)
# names what the unit waits for
ONCE = CuePattern(rf"^\W*(?:{_alternation('once')})\b(?P<value>[^,;]{{1,160}}),")
SEQUENCE_HEADING = CuePattern(rf"(?<!\w)(?:{_alternation('sequence')})(?!\w)")
# every cue word: a line with none of them states no dependency (a cheap test before the rules)
ANY_CUE = CuePattern(
    "|".join(
        _alternation(part, cheap=True) for part in ("depends_fields", "blocks_fields", "after", "parallel", "none")
    )
)
