"""Charts of a census report, drawn with matplotlib (Agg) as PNG and SVG.

SVGs are written reproducibly (fixed hash salt, no date), so the same census gives the
same files.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from openscope.census.stats import Stat

plt.rcParams["svg.hashsalt"] = "openscope-census"
_COLOURS = {"open": "#2a9d8f", "restricted": "#e9c46a", "unknown": "#8d99ae", "none": "#d9d9d9"}


def _save(fig: Figure, folder: Path, name: str) -> list[Path]:
    paths = []
    for ext in ("png", "svg"):
        path = folder / f"{name}.{ext}"
        fig.savefig(path, dpi=110, bbox_inches="tight",
                    metadata={"Date": None} if ext == "svg" else None)
        paths.append(path)
    plt.close(fig)
    return paths


def licence_over_time(stat: Stat, folder: Path) -> list[Path]:
    """Stacked bars: releases per month by licence class."""
    rows = stat.table.to_pylist()
    months = sorted({r["month"] for r in rows})
    classes = ["open", "restricted", "unknown", "none"]
    counts = {c: np.zeros(len(months)) for c in classes}
    index = {m: i for i, m in enumerate(months)}
    for r in rows:
        counts.setdefault(r["license_class"], np.zeros(len(months)))
        counts[r["license_class"]][index[r["month"]]] += r["releases"]
    fig, ax = plt.subplots(figsize=(10, 4))
    bottom = np.zeros(len(months))
    for c in classes:
        ax.bar(range(len(months)), counts[c], bottom=bottom, label=c,
               color=_COLOURS.get(c), width=0.9)
        bottom += counts[c]
    step = max(1, len(months) // 12)
    ax.set_xticks(range(0, len(months), step), [months[i] for i in range(0, len(months), step)],
                  rotation=45, ha="right")
    ax.set_ylabel("releases created")
    ax.set_title("Licence classes by creation month")
    ax.legend(frameon=False)
    return _save(fig, folder, "licence_by_month")


def profiles(stat: Stat, folder: Path, top: int = 12) -> list[Path]:
    """Horizontal bars: the most common openness profiles."""
    rows = stat.table.to_pylist()[:top]
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(rows) + 1.2))
    ax.barh([r["profile"] for r in rows][::-1], [r["releases"] for r in rows][::-1],
            color="#457b9d")
    ax.set_xlabel("releases")
    ax.set_title("Openness profiles (code, weights, data, research)")
    return _save(fig, folder, "profiles")


def downloads(downloads_desc: np.ndarray, stat: Stat, folder: Path) -> list[Path]:
    """Lorenz curve and CCDF (log-log) with the fitted Pareto tail."""
    d = np.asarray(downloads_desc, dtype=np.float64)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    asc = np.sort(d)
    if asc.sum() > 0:
        cum = np.concatenate([[0.0], np.cumsum(asc) / asc.sum()])
        x = np.linspace(0, 1, len(cum))
        ax1.plot(x, cum, color="#e76f51")
    ax1.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=0.8)
    ax1.set_title(f"Lorenz curve (Gini {stat.headline.get('gini', 0):.3f})")
    ax1.set_xlabel("share of releases")
    ax1.set_ylabel("share of downloads")
    pos = np.sort(d[d > 0])
    if len(pos):
        ccdf = 1.0 - np.arange(len(pos)) / len(pos)
        ax2.loglog(pos, ccdf, marker=".", linestyle="none", markersize=1.5, color="#264653")
        alpha = stat.headline.get("pareto_alpha")
        xmin = stat.headline.get("pareto_xmin")
        if alpha and xmin:
            share = float((pos >= xmin).mean())
            xs = np.logspace(np.log10(xmin), np.log10(pos.max()), 50)
            ax2.loglog(xs, share * (xs / xmin) ** (1 - alpha), color="#e76f51",
                       label=f"Pareto tail, alpha = {alpha:.2f}")
            ax2.legend(frameon=False)
    ax2.set_title("Downloads: complementary CDF")
    ax2.set_xlabel("downloads (30 days)")
    ax2.set_ylabel("P(X >= x)")
    return _save(fig, folder, "downloads")


def organisations(stat: Stat, folder: Path, top: int = 15) -> list[Path]:
    """Horizontal bars: organisations with the most downloads."""
    rows = stat.table.to_pylist()[:top]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(rows) + 1.2))
    ax.barh([r["organisation"] for r in rows][::-1],
            [r["pct_downloads"] or 0 for r in rows][::-1], color="#2a9d8f")
    ax.set_xlabel("% of all downloads")
    ax.set_title("Organisations by downloads")
    return _save(fig, folder, "organisations")
