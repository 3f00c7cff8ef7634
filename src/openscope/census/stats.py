"""Ecosystem statistics of a census, computed with DuckDB over its release table.

Each statistic is a small named table (:class:`Stat`). Definitions follow Osborne, Ding &
Kirk (2024) where they apply: downloads are the listing's (a trailing 30-day window); the
licence of a release is its first ``license:`` tag; the owner is the id before ``/``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from openscope import licenses


@dataclass
class Stat:
    """One result table with a title and a one-paragraph note."""

    name: str
    title: str
    table: pa.Table
    note: str = ""
    headline: dict[str, Any] = field(default_factory=dict)


def open_census(out: Path) -> duckdb.DuckDBPyConnection:
    """A connection with the census's ``releases`` (the Parquet dataset) as a view."""
    parts = out / "releases"
    if not (out / "manifest.json").is_file() or not any(parts.glob("*.parquet")):
        from openscope.errors import InputError

        raise InputError(f"{out}: not a complete census (no manifest.json or releases/)",
                         "run `openscope census INPUT -o OUT` first (or rerun it to finish)")
    con = duckdb.connect()
    con.execute("SET enable_progress_bar=false")
    glob = str(parts / "*.parquet").replace("'", "''")
    con.execute(f"CREATE VIEW releases AS SELECT * FROM read_parquet('{glob}') "
                "WHERE error IS NULL")
    return con


def _q(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> pa.Table:
    table: pa.Table = con.sql(sql, params=params).to_arrow_table() if params else \
        con.sql(sql).to_arrow_table()
    return table


def licence_over_time(con: duckdb.DuckDBPyConnection) -> Stat:
    """Releases per creation month by licence class (openness; ``none`` = no licence tag)."""
    table = _q(con, """
        SELECT strftime(date_trunc('month', created_at), '%Y-%m') AS month,
               coalesce(license_openness, 'none') AS license_class,
               count(*) AS releases
        FROM releases WHERE created_at IS NOT NULL
        GROUP BY ALL ORDER BY month, license_class""")
    return Stat("licence_by_month", "Licence classes over time (by creation month)", table,
                "`open`: a licence open for its content type; `restricted`: use-limited "
                "(RAIL, non-commercial, vendor community licences); `unknown`: `other`, "
                "`unknown` or unidentified ids; `none`: no licence tag.")


def licence_kinds(con: duckdb.DuckDBPyConnection) -> Stat:
    """Releases and downloads by licence kind."""
    table = _q(con, """
        SELECT coalesce(license_kind, 'no licence tag') AS license_kind,
               coalesce(license_openness, 'none') AS license_class,
               count(*) AS releases, round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS pct,
               sum(downloads) AS downloads
        FROM releases GROUP BY ALL ORDER BY releases DESC""")
    return Stat("licence_kinds", "Licence kinds", table)


def licence_by_downloads(con: duckdb.DuckDBPyConnection) -> Stat:
    """Share of releases with a licence tag, by 30-day download band."""
    table = _q(con, """
        SELECT CASE WHEN downloads = 0 THEN '0' WHEN downloads < 100 THEN '1-99'
                    WHEN downloads < 1000 THEN '100-999' WHEN downloads < 100000 THEN '1k-99k'
                    ELSE '>=100k' END AS downloads_band,
               count(*) AS releases,
               round(100.0 * avg((len(license_tags) > 0)::INT), 2) AS pct_with_licence_tag
        FROM releases WHERE downloads IS NOT NULL GROUP BY 1
        ORDER BY min(downloads)""")
    return Stat("licence_by_downloads", "Licence tag by downloads", table)


def profiles(con: duckdb.DuckDBPyConnection) -> Stat:
    """Openness profiles: the four dimensions (code, weights, data, research)."""
    table = _q(con, """
        SELECT profile, dim_code, dim_weights, dim_data, dim_research,
               count(*) AS releases, round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS pct,
               sum(downloads) AS downloads
        FROM releases GROUP BY ALL ORDER BY releases DESC""")
    return Stat("profiles", "Openness profiles", table,
                "Profile letters, in the order code, weights, data, research: O open, "
                "R restricted, C closed, U unknown. From metadata alone most dimensions stay "
                "unknown: the listing says nothing about code or data files.")


def verdicts(con: duckdb.DuckDBPyConnection) -> Stat:
    """Framework outcomes: MOF class, OSAID, EU AI Act exemption, open-washing."""
    table = _q(con, """
        SELECT 'mof_class' AS framework, CAST(mof_class AS VARCHAR) AS outcome, count(*) AS n
        FROM releases GROUP BY ALL
        UNION ALL SELECT 'osaid', osaid_outcome, count(*) FROM releases GROUP BY ALL
        UNION ALL SELECT 'eu_ai_act', eu_outcome, count(*) FROM releases GROUP BY ALL
        UNION ALL SELECT 'openwashing', openwashing_outcome, count(*) FROM releases GROUP BY ALL
        ORDER BY framework, n DESC""")
    return Stat("verdicts", "Framework verdicts", table)


def openwashing(con: duckdb.DuckDBPyConnection) -> Stat:
    """Open-washing flags: releases claiming openness that the definitions do not back."""
    table = _q(con, """
        SELECT flag, count(*) AS releases, sum(downloads) AS downloads
        FROM (SELECT unnest(string_split(openwashing_flags, ',')) AS flag, downloads
              FROM releases WHERE openwashing_flags <> '')
        GROUP BY flag ORDER BY releases DESC""")
    claims = con.execute("SELECT count(*) FILTER (WHERE openwashing_flags <> ''), "
                     "count(*) FILTER (WHERE openwashing_outcome = 'unknown') "
                     "FROM releases").fetchall()[0]
    return Stat("openwashing", "Open-washing flags", table,
                "From metadata, the claims seen are an `open-source` tag or a repository "
                "name containing it; claims in the card text need `--deep`.",
                {"flagged_releases": int(claims[0] or 0),
                 "claims_undecided": int(claims[1] or 0)})


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 equal, 1 one holds all)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2.0 * (ranks * x).sum()) / (n * x.sum()) - (n + 1) / n)


def pareto_fit(values: np.ndarray) -> dict[str, float]:
    """Continuous power-law tail fit (Clauset, Shalizi & Newman 2009, simplified).

    For candidate thresholds ``xmin`` (40 quantiles of the positive values, keeping at least
    50 points above), ``alpha = 1 + n / sum(ln(x / xmin))`` by maximum likelihood; the
    ``xmin`` with the smallest Kolmogorov-Smirnov distance between the data above it and the
    fitted tail is kept. No goodness-of-fit p-value is computed.
    """
    x = np.sort(np.asarray(values, dtype=np.float64))
    x = x[x > 0]
    best: dict[str, float] = {}
    if len(x) < 100:
        return best
    for q in np.linspace(0.5, 0.995, 40):
        xmin = float(np.quantile(x, q))
        tail = x[x >= xmin]
        n = len(tail)
        if n < 50 or xmin <= 0:
            continue
        logs = np.log(tail / xmin).sum()
        if logs <= 0:
            continue
        alpha = 1.0 + n / logs
        emp = np.arange(1, n + 1) / n
        fit = 1.0 - (tail / xmin) ** (1.0 - alpha)
        ks = float(np.max(np.abs(emp - fit)))
        if not best or ks < best["ks"]:
            best = {"alpha": float(alpha), "xmin": xmin, "n_tail": float(n), "ks": ks,
                    "alpha_se": float((alpha - 1.0) / math.sqrt(n))}
    return best


def concentration(con: duckdb.DuckDBPyConnection) -> Stat:
    """Download concentration: zero share, top shares, Gini, Pareto tail (Osborne et al.)."""
    arr = con.sql("SELECT coalesce(downloads, 0) AS d FROM releases").to_arrow_table()
    d = np.sort(np.asarray(arr.column("d").to_numpy(), dtype=np.float64))[::-1]
    n, total = len(d), float(d.sum())

    def top(frac: float) -> float:
        k = max(1, int(n * frac))
        return float(d[:k].sum() / total) if total else 0.0

    fit = pareto_fit(d)
    rows = {
        "releases": float(n),
        "total_downloads": total,
        "share_zero_downloads": float((d == 0).mean()) if n else 0.0,
        "share_top_0.1pct": top(0.001),
        "share_top_1pct": top(0.01),
        "share_top_10pct": top(0.10),
        "gini": gini(d),
        **{f"pareto_{k}": v for k, v in fit.items()},
    }
    table = pa.table({"metric": list(rows), "value": [float(v) for v in rows.values()]})
    return Stat("concentration", "Concentration of downloads", table,
                "Downloads are the listing's trailing 30-day counts. Top shares take the "
                "first floor(n x fraction) releases by downloads. The Pareto exponent is a "
                "maximum-likelihood tail fit with the threshold chosen by KS distance.",
                rows)


def lineage(con: duckdb.DuckDBPyConnection) -> tuple[Stat, Stat]:
    """Licences along lineage: derivative vs base licence, for bases in the census.

    A pair *conflicts* when both licences are identified and differ; it is *laundering*
    when :func:`openscope.licenses.check_laundering` flags it (the derivative declares an
    open licence over a base whose restrictive terms bind derivatives).
    """
    pairs = con.sql("""
        SELECT d.license AS derivative_license, b.license AS base_license, count(*) AS n
        FROM (SELECT license, unnest(base_models) AS base FROM releases) d
        JOIN releases b ON b.id = d.base
        GROUP BY ALL""").fetchall()
    derivatives = con.execute("SELECT count(*) FILTER (WHERE len(base_models) > 0) "
                          "FROM releases").fetchall()[0]
    counts = {"derivative_releases": int(derivatives[0] or 0), "pairs_with_base_in_census": 0,
              "both_licensed": 0, "same_licence": 0, "different_licence": 0,
              "laundering": 0, "derivative_without_licence": 0, "base_without_licence": 0}
    rows: list[dict[str, Any]] = []
    for dlic, blic, n in pairs:
        counts["pairs_with_base_in_census"] += n
        if dlic is None or blic is None:
            if (dlic is None) != (blic is None):
                counts["derivative_without_licence" if dlic is None
                       else "base_without_licence"] += n
            continue
        counts["both_licensed"] += n
        dc, bc = licenses.classify(dlic), licenses.classify(blic)
        conflict = licenses.find_conflicts([("derivative", dc), ("base", bc)])
        laundering = licenses.check_laundering(dc, bc)
        if conflict:
            counts["different_licence"] += n
        else:
            counts["same_licence"] += n
        if laundering is not None:
            counts["laundering"] += n
        if conflict or laundering is not None:
            rows.append({"derivative_license": dlic, "base_license": blic, "pairs": n,
                         "conflict": bool(conflict), "laundering": laundering is not None,
                         "message": laundering.message if laundering else
                         (conflict[0].message if conflict else "")})
    rows.sort(key=lambda r: (-r["pairs"], r["derivative_license"], r["base_license"]))
    summary = pa.table({"metric": list(counts), "value": list(counts.values())})
    detail = pa.Table.from_pylist(rows, schema=pa.schema([
        ("derivative_license", pa.string()), ("base_license", pa.string()),
        ("pairs", pa.int64()), ("conflict", pa.bool_()), ("laundering", pa.bool_()),
        ("message", pa.string())]))
    note = ("Pairs are (derivative, base) through `base_model:` tags whose base is also in "
            "the census. A conflict is two identified licences that differ; laundering is an "
            "open licence declared over a restrictive base (openscope.licenses).")
    return (Stat("lineage", "Licences along lineage", summary, note, counts),
            Stat("lineage_pairs", "Conflicting licence pairs along lineage", detail))


def organisations(con: duckdb.DuckDBPyConnection) -> Stat:
    """Per-organisation table: releases, downloads, licence classes, MOF, open-washing."""
    table = _q(con, """
        SELECT coalesce(author, '(no organisation)') AS organisation,
               count(*) AS releases, sum(downloads) AS downloads,
               round(100.0 * sum(downloads) / sum(sum(downloads)) OVER (), 3) AS pct_downloads,
               count(*) FILTER (WHERE license_openness = 'open') AS open_licence,
               count(*) FILTER (WHERE license_openness = 'restricted') AS restricted_licence,
               count(*) FILTER (WHERE license_openness = 'unknown') AS unknown_licence,
               count(*) FILTER (WHERE license IS NULL) AS no_licence,
               count(*) FILTER (WHERE dim_weights = 'open') AS weights_open,
               count(*) FILTER (WHERE mof_class > 0) AS mof_classified,
               count(*) FILTER (WHERE openwashing_flags <> '') AS openwashing_flagged
        FROM releases GROUP BY 1 ORDER BY downloads DESC NULLS LAST, releases DESC""")
    return Stat("organisations", "Organisations", table,
                "Every organisation or user, by downloads. The HTML page shows the top 25.")


#: Gao et al. (ESEM '24): share of the 265 relevant documents per theme (Hub and GitHub).
GAO_THEMES: dict[str, float] = {"behavioural_risks": 62.0, "risk_mitigation": 43.0,
                                "other": 39.0, "use_cases": 38.0, "references": 32.0,
                                "data_quality": 28.0}
#: Gao et al.: 186 of the 1,869 Hub cards had relevant ethics content after screening.
GAO_ETHICS_SHARE = 100.0 * 186 / 1869
#: Liang et al. (2024): share of Hub models with a card (all models, ~2022).
LIANG_CARD_PRESENCE = 42.7
#: Liang et al.'s ranking of template sections (their Fig. 2; qualitative here).
LIANG_SECTIONS: dict[str, str] = {
    "training_details": "most often filled",
    "bias_risks_limitations": "among the lowest",
    "evaluation": "among the lowest",
    "environmental_impact": "lowest",
}

DOC_NOTE = (
    "Per-card documentation columns come from `--deep` audits (cards read); metadata-only rows "
    "have none. Differences from the studies: (1) `--deep` reads only rows whose listing "
    "leaves the licence undecided, so the cards are not a random sample and card presence "
    "among them is not comparable with Liang et al.'s 42.7% over all models; (2) a card "
    "counts as having ethics content when one paragraph that is not a copy of the Hugging "
    "Face template is found by openscope's automatic detector (about 0.94 precision per "
    "paragraph), where Gao et al. counted documents kept after manual relevance screening "
    "(186 of 1,869 Hub cards = 10.0%), so ours is higher; (3) our theme shares are over "
    "cards with ethics content, Gao's over all 265 relevant documents (Hub and GitHub), and "
    "our rules count carbon statements (`other`) and any explicit use restriction "
    "(`use_cases`), which raises those two; (4) section completion is per template section "
    "over cards read; Liang et al. report training as most often filled and environmental "
    "impact, limitations and evaluation as lowest - a stock carbon-calculator paragraph "
    "fills Environmental Impact here, so that rate is an upper bound. "
    "docs/documentation.md has the figures over the 1,869 recorded cards.")


def documentation(con: duckdb.DuckDBPyConnection) -> tuple[Stat, Stat]:
    """Card completeness and ethics themes over the cards read, beside the studies' figures.

    Returns the summary (metric, census value, study figure, source) and the per-section
    completion table.
    """
    from openscope.analysis.documentation import MODEL_CARD_SECTIONS
    from openscope.evidence.ethics import THEMES

    deep, cards, ethics, boiler, fill, sheets = con.execute("""
        SELECT count(*) FILTER (WHERE verdict_key LIKE 'd%'),
               count(*) FILTER (WHERE doc_ethics_paragraphs IS NOT NULL),
               count(*) FILTER (WHERE doc_has_ethics),
               count(*) FILTER (WHERE doc_ethics_boilerplate > 0),
               avg(doc_card_fill),
               count(*) FILTER (WHERE doc_datasheet_groups IS NOT NULL)
        FROM releases""").fetchall()[0]
    deep, cards, ethics, boiler, sheets = (int(x or 0) for x in (deep, cards, ethics, boiler,
                                                                 sheets))

    def pct(n: float, d: float) -> float | None:
        return round(100.0 * n / d, 2) if d else None

    rows: list[dict[str, Any]] = [
        {"metric": "rows audited with --deep", "census": float(deep), "study": None,
         "source": ""},
        {"metric": "cards read", "census": float(cards), "study": 1869.0,
         "source": "Gao et al. 2024: Hub cards mined"},
        {"metric": "% of --deep rows with a card", "census": pct(cards, deep),
         "study": LIANG_CARD_PRESENCE, "source": "Liang et al. 2024: all Hub models (~2022)"},
        {"metric": "% of cards with ethics content (non-template)", "census": pct(ethics, cards),
         "study": round(GAO_ETHICS_SHARE, 2),
         "source": "Gao et al. 2024: 186 of 1,869 Hub cards after manual screening"},
        {"metric": "% of cards with template ethics paragraphs", "census": pct(boiler, cards),
         "study": None, "source": ""},
        {"metric": "mean template fill ratio", "census":
         round(float(fill), 4) if fill is not None else None, "study": None, "source": ""},
        {"metric": "cards answering a datasheet (4+ groups)", "census": float(sheets),
         "study": None, "source": ""},
    ]
    theme_counts = con.execute(
        "SELECT " + ", ".join(
            f"count(*) FILTER (WHERE doc_has_ethics AND list_contains("
            f"string_split(doc_ethics_themes, ','), '{t}'))" for t in THEMES)
        + " FROM releases").fetchall()[0]
    themes = {}
    for t, n in zip(THEMES, theme_counts, strict=True):
        themes[t] = pct(int(n or 0), ethics)
        rows.append({"metric": f"theme {t}: % of cards with ethics content",
                     "census": themes[t], "study": GAO_THEMES[t],
                     "source": "Gao et al. 2024: % of 265 relevant docs (Hub + GitHub)"})
    summary = pa.Table.from_pylist(rows, schema=pa.schema([
        ("metric", pa.string()), ("census", pa.float64()), ("study", pa.float64()),
        ("source", pa.string())]))
    section_counts = con.execute(
        "SELECT " + ", ".join(
            f"count(*) FILTER (WHERE list_contains(string_split(doc_sections_filled, ','), "
            f"'{sid}'))" for sid, _, _ in MODEL_CARD_SECTIONS)
        + ", count(*) FILTER (WHERE doc_sections_filled IS NOT NULL) FROM releases"
    ).fetchall()[0]
    with_card = int(section_counts[-1] or 0)
    sec_rows = [{"section": title, "cards_filled": int(n or 0),
                 "pct_filled": pct(int(n or 0), with_card),
                 "liang_et_al": LIANG_SECTIONS.get(sid, "")}
                for (sid, title, _), n in zip(MODEL_CARD_SECTIONS, section_counts[:-1],
                                              strict=True)]
    sections = pa.Table.from_pylist(sec_rows, schema=pa.schema([
        ("section", pa.string()), ("cards_filled", pa.int64()), ("pct_filled", pa.float64()),
        ("liang_et_al", pa.string())]))
    headline = {"cards_read": cards, "pct_with_ethics": pct(ethics, cards),
                "gao_pct_with_ethics": round(GAO_ETHICS_SHARE, 2),
                "theme_pct": themes,
                "section_pct": {r["section"]: r["pct_filled"] for r in sec_rows}}
    return (Stat("documentation", "Documentation and ethical considerations (cards read)",
                 summary, DOC_NOTE, headline),
            Stat("documentation_sections", "Model-card template sections filled (cards read)",
                 sections, "Share of cards read whose Hugging Face template section is filled "
                 "(placeholders such as \"[More Information Needed]\" count as empty), beside "
                 "Liang et al.'s ranking."))


def all_stats(out: Path) -> list[Stat]:
    """Every statistic of the census in ``out``."""
    con = open_census(out)
    stats = [concentration(con), licence_over_time(con), licence_kinds(con),
             licence_by_downloads(con), profiles(con), verdicts(con), openwashing(con),
             *lineage(con), *documentation(con), organisations(con)]
    con.close()
    return stats
