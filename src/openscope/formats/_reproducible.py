"""Reproducible ids and times for the BOM formats.

BOM ids come from :func:`subject_uuid` (a UUID v5 of the subject's ref and revision) and
times from :func:`document_time` (``SOURCE_DATE_EPOCH`` if set, else the snapshot's
``retrieved_at``, else the fixed :data:`FALLBACK_TIME`), never the wall clock.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

from openscope.report import Report

#: Time used when neither ``SOURCE_DATE_EPOCH`` nor the snapshot's ``retrieved_at`` is known
#: (a local folder): the Unix epoch, so the bytes never depend on when the audit ran.
FALLBACK_TIME = datetime(1970, 1, 1, tzinfo=UTC)

#: Namespace of every content-derived UUID openscope writes.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://openscope.dev/ns")


def source_date_epoch() -> datetime | None:
    """``SOURCE_DATE_EPOCH`` as an aware UTC datetime, if set to an integer."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw.isdigit():
        return None
    return datetime.fromtimestamp(int(raw), tz=UTC)


def document_time(report: Report) -> datetime:
    """The time a BOM carries: ``SOURCE_DATE_EPOCH``, else the snapshot's ``retrieved_at``,
    else :data:`FALLBACK_TIME`. Never the wall clock."""
    sde = source_date_epoch()
    if sde is not None:
        return sde
    retrieved = report.data["subject"].get("retrieved_at")
    if isinstance(retrieved, str):
        try:
            parsed = datetime.fromisoformat(retrieved.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed.astimezone(UTC).replace(microsecond=0)
    return FALLBACK_TIME


def iso(dt: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ``."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def subject_key(report: Report) -> str:
    """``ref@revision`` of the audited release (the identity every derived id hashes)."""
    subject = report.data["subject"]
    return f"{subject['ref']}@{subject.get('revision') or ''}"


def subject_uuid(report: Report, purpose: str = "") -> uuid.UUID:
    """A UUID v5 derived from the subject's ref and revision (and ``purpose``)."""
    return uuid.uuid5(NAMESPACE, f"{purpose}|{subject_key(report)}")
