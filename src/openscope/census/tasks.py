"""Census tasks that run on workers (besides :func:`~.partition.process_partition`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openscope.census.assemble import finish_partition
from openscope.census.partition import process_partition
from openscope.census.schema import verdict_table
from openscope.census.store import write_parquet_atomic
from openscope.census.verdicts import audit_key


def audit_keys(task: dict[str, Any]) -> dict[str, Any]:
    """Audit the synthetic snapshot of every key in ``task["keys"]``; write their verdicts.

    Each key is audited exactly once, with :func:`openscope.pipeline.audit_snapshot`.
    """
    rows = [{"verdict_key": key["verdict_key"], **audit_key(key)} for key in task["keys"]]
    write_parquet_atomic(Path(task["path"]), verdict_table(rows))
    return {"path": task["path"], "keys": len(rows)}


__all__ = ["audit_keys", "finish_partition", "process_partition"]
