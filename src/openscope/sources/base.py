"""The source interface and the dispatch from a ref to a source."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from openscope.errors import UsageError
from openscope.snapshot import Snapshot
from openscope.sources.refs import Ref, parse_ref

if TYPE_CHECKING:
    from openscope.sources.options import SourceOptions


class Source(Protocol):
    """Collects what can be seen of one release. Never judges."""

    def collect(self, ref: Ref) -> Snapshot:
        """Return the snapshot for ``ref`` or raise :class:`~openscope.errors.SourceError`."""
        ...


def open_ref(text: str, options: SourceOptions | None = None) -> Snapshot:
    """Collect the snapshot for a ref given as text, with the default source for its form.

    ``options`` (mirror, cache, offline) apply to remote refs (``hf:``, ``hf-dataset:``,
    ``gh:``).
    """
    ref = parse_ref(text)
    if ref.scheme in ("hf-model", "hf-dataset", "github"):
        from openscope.sources.options import remote_source

        return remote_source(ref, options).collect(ref)
    if ref.scheme == "local":
        from openscope.sources.local import LocalFolderSource

        return LocalFolderSource().collect(ref)
    if ref.scheme == "snapshot":
        from openscope.sources.saved import SavedSnapshotSource

        return SavedSnapshotSource().collect(ref)
    raise UsageError(
        f"{ref.scheme} refs are not supported yet: {text}",
        "audit a local folder or a saved snapshot",
    )
