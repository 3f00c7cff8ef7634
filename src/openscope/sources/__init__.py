"""Sources collect a :class:`~openscope.snapshot.Snapshot` for a ref; they never judge.

Each source is a small class with one method, ``collect(ref) -> Snapshot``.
:func:`open_ref` picks the source for what the user named.
"""

from openscope.sources.base import Source, open_ref
from openscope.sources.refs import Ref, parse_ref

__all__ = ["Ref", "Source", "open_ref", "parse_ref"]
