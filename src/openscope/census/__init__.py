"""The census: the openness of every release in a Hub listing, at scale.

``openscope census INPUT -o OUT`` runs the same evidence and verdict code as ``audit``
over hundreds of thousands of Hub list records: features are computed in columnar form
(DuckDB parses, Arrow derives), :func:`openscope.pipeline.audit_snapshot` runs once per
distinct verdict key (:mod:`.keyspec`), and the verdicts are joined back. Work is split into
partitions run on a local process pool or a Dask cluster, and survives being killed.

* :mod:`.runner` - :func:`run_census` and :class:`CensusOptions`
* :mod:`.keyspec` - what the audit reads from a list record; the verdict key
* :mod:`.features`, :mod:`.partition`, :mod:`.tasks` - work on one partition
* :mod:`.assemble`, :mod:`.store` - outputs, written atomically
* :mod:`.stats`, :mod:`.charts`, :mod:`.html` - ``census report``
* :mod:`.diff` - ``census diff``
* :mod:`.deep` - ``--deep``: cards and licence files for the rows that need them
"""

from openscope.census.runner import CensusOptions, run_census

__all__ = ["CensusOptions", "run_census"]
