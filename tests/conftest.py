from __future__ import annotations

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode


class MarkdownSnapshot(SingleFileSnapshotExtension):
    """Whole reports stored as reviewable ``.md`` files under ``tests/__snapshots__``."""

    _write_mode = WriteMode.TEXT
    file_extension = "md"
    _file_extension = "md"


@pytest.fixture
def md_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(MarkdownSnapshot)
