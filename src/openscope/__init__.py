"""openscope: how open is this AI release, really?

The package follows one flow (see ``docs/design.md``)::

    ref -> sources -> Snapshot -> evidence -> components -> frameworks -> Report -> formats

Public entry points: :func:`openscope.pipeline.audit` (a ref to a report) and the
``openscope`` command line (:mod:`openscope.cli`).
"""

__version__ = "0.1.0"

#: Version of the JSON report layout (``schema/report.schema.json``).
REPORT_SCHEMA_VERSION = "1.0"
#: Version of the saved snapshot layout.
SNAPSHOT_SCHEMA_VERSION = "1"

__all__ = ["REPORT_SCHEMA_VERSION", "SNAPSHOT_SCHEMA_VERSION", "__version__"]
