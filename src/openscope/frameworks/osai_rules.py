"""How the European Open Source AI Index's raters apply each parameter, as rules over evidence.

The Index publishes one-line criteria; its raters' notes (``notes`` and ``link`` per parameter
in the Index's database) show how they apply them. Each rule below reads the component
decisions (availability, licence, gating: decided once in :mod:`openscope.components`) and
the probes' facts, and returns a :class:`Rating` whose reason names the decisive evidence.

Where the raters would look somewhere openscope did not (a linked code repository that was
not followed, a paper's text, a dataset card that was not collected), the rating is
``unknown`` with ``basis: not-checked`` and names the link; it is never guessed. Where the
Index's convention rates absence (no paper found = closed), the rating says ``basis:
absence``. :data:`PRACTICE` holds the reading of each parameter shown by ``openscope explain``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from openscope.analysis.documentation import (
    DATASHEET_GROUPS,
    MODEL_CARD_SECTIONS,
    data_card,
    model_card,
)
from openscope.components.assess import Component
from openscope.components.licensing import decide, licenses_for
from openscope.evidence.facts import Evidence, Fact


@dataclass(frozen=True, slots=True)
class Rating:
    """One parameter's rating with its evidence and basis (``evidence``, ``absence`` or
    ``not-checked``)."""

    value: str  # open | partial | closed | unknown
    reason: str
    evidence: tuple[str, ...] = ()
    basis: str = "evidence"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"value": self.value, "reason": self.reason, "evidence": list(self.evidence),
                "basis": self.basis}


def locs(facts: Sequence[Fact]) -> tuple[str, ...]:
    """Where the facts were seen (path:line, key or URL), at most five, in order."""
    return tuple(dict.fromkeys(f.location() or f.value for f in list(facts)[:5]))


def absent(what: str) -> Rating:
    """The Index's convention: a thing not found is closed (basis: absence)."""
    return Rating("closed", f"no {what} found in the sources checked", basis="absence")


def not_checked(what: str, facts: Sequence[Fact]) -> Rating:
    """Evidence the raters would read lives where openscope did not look."""
    links = [f.url or f.value for f in facts][:3]
    return Rating("unknown", f"{what}: {', '.join(links)} (not followed, so not checked)",
                  locs(facts), basis="not-checked")


def _names(facts: Sequence[Fact], limit: int = 4) -> str:
    values = list(dict.fromkeys(f.value for f in facts))
    more = f" (+{len(values) - limit} more)" if len(values) > limit else ""
    return ", ".join(values[:limit]) + more


#: Parameter -> the raters' practice as openscope reads it (shown by ``openscope explain``).
PRACTICE: dict[str, str] = {
    "weights_endmodel": "Raters rate the download, not the licence: open when the weights "
    "are on a public repository, partial when a gate, consent form or licence signature "
    "stands before the download, when only adapter weights are shared, or when the weights "
    "are shared only under a standard non-commercial licence; closed when no weights are "
    "shared.",
    "weights_basemodel": "The same question asked of the base model, from the base model's "
    "own evidence (its gate, its files). A release that is not derived from another model "
    "gets the end-model rating twice, as the Index does; a derived release whose base was "
    "not collected is unknown.",
    "datasources_endmodel": "Open when the training (fine-tuning) data sources are named and "
    "publicly available (a Hub dataset named in `datasets:` or linked is available, whatever "
    "its licence); partial when some sources are named but not all are available (a "
    "withholding statement beside named sources, or a data-mix table that links some "
    "sources and leaves others unlinked: \"[RefinedWeb](hf) 75% | Books 6% | Code 5%\"); "
    "closed when the data is only "
    "described in general terms (\"a variety of publicly available datasets\"), withheld, "
    "or not mentioned.",
    "datasources_basemodel": "The base model's training data, from the base model's own "
    "evidence; the end-model rating twice for a release with no base.",
    "trainingcode": "Open when the training and data-processing code is published (in the "
    "release or in the release's own code repository); partial when only some of it is "
    "(e.g. fine-tuning scripts); closed when no code is found. Tool and library repositories "
    "the card uses are never the release's code. A repository presented as the release's "
    "own but not followed is unknown (not-checked); when some training code was found "
    "anyway, the rating is partial, a lower bound that names the repository not read.",
    "code": "Documentation of the release's own training code. \"No code, so no "
    "documentation\": closed when there is no training code (a repository of inference or "
    "demo code included); a usage snippet and inference libraries are not code "
    "documentation. Partial when training code is published with usage documentation (a "
    "README or the card); open needs the code itself comprehensively documented, which "
    "openscope does not judge from a README; unknown when the repository was not followed.",
    "hardware_architecture": "Open when both the model architecture (layers, dimensions, "
    "attention) and the training hardware are documented and the release has its own paper "
    "or report that details them; partial when one of them is, or both only at card level, "
    "or when the card's prose only names the architecture (\"is a pretrained generative "
    "Sparse Mixture of Experts\", \"based on the GLM framework\": the raters' \"some "
    "information on architecture\"); closed when neither is. A config.json alone is not "
    "documentation, nor is naming the base model. When the card is silent but the release "
    "has its own paper or report, the answer is in the paper (unknown, not-checked); when "
    "the card only names the architecture, partial is a lower bound that names the paper.",
    "preprint": "Open when the release's own preprint exists (arXiv id in an own-paper "
    "context: Paper field, citation block, \"our paper\"); partial when only a technical "
    "report is mentioned, or when the only preprint is about the release's training data "
    "(\"to learn more about the pretraining dataset, see the ... paper\", \"cite the "
    "instruction dataset used for this model\"), which covers the data but not the model; "
    "closed when none, or when the card only announces one (\"paper coming soon\"). Papers "
    "the card cites for methods it uses do not count.",
    "paper": "Open when a peer-reviewed paper about the release exists (venue in its own "
    "BibTeX, ACL Anthology / OpenReview / proceedings link in an own-paper context); closed "
    "otherwise (absence).",
    "modelcard": "Raters ask whether the card documents the model rather than advertise or "
    "explain usage: open when it substantively covers at least five of details/architecture, "
    "intended uses, limitations or risks, training data, training procedure and evaluation; "
    "partial when it covers two to four; closed when it covers at most one (a landing page "
    "with usage instructions). A section counts when it holds real text, not a placeholder "
    "or a one-line remark.",
    "datasheet": "A Gebru-style datasheet or a real dataset card (or an AI Act training-"
    "content summary), not a training-data paragraph in the model card: open when one ships "
    "with the release or every named dataset has a substantive dataset card; partial when "
    "some do (or only the fine-tuning data of a derived release is documented); closed when "
    "none is found; unknown when named datasets were not collected.",
    "licenses": "Raters judge the licences actually declared for the release's parts, led by the "
    "weights (the licence the release declares for them counts even when the file listing "
    "was not recorded): open when the weights are under an OSI-approved or open-content "
    "licence and no declared part is under restrictive terms; partial when the weights' "
    "licence is open but another declared part is not, or when the weights are under a "
    "standard non-commercial / no-derivatives licence; closed when the weights are under a "
    "bespoke licence with use restrictions (community licences, RAIL, acceptable-use "
    "policies) or no licence is found.",
}


def weights_end(w: Component, ev: Evidence) -> Rating:
    """weights_endmodel: the download, from the weights component's availability and gate."""
    if w.available:
        if w.attributes.get("access") == "gated":
            gate = ev.of("access.gated")[:1]
            return Rating("partial", "gated download: weights downloadable after accepting "
                          f"the gate's terms ({w.attributes.get('gate', 'gated')})",
                          locs([*w.evidence, *gate]))
        adapters = ev.of("weights.adapter")
        if adapters and not ev.has("weights.file"):
            return Rating("partial", "only adapter weights are shared "
                          f"({_names(adapters, 2)}); the full model needs the base model",
                          locs(adapters))
        nc = _non_commercial(w)
        if nc:
            return Rating("partial", f"weights shared only under {nc}, which forbids "
                          "commercial use", locs(list(w.evidence)))
        return Rating("open", f"weights freely downloadable: {_names(list(w.evidence), 2)}",
                      locs(list(w.evidence)))
    if w.status == "closed":
        return Rating("closed", w.reason, locs(list(w.evidence)))
    adapters = ev.of("weights.adapter")
    if adapters:
        return Rating("partial", "only adapter weights are shared "
                      f"({_names(adapters, 2)}); the full model needs the base model",
                      locs(adapters))
    return absent("weight files")


def _non_commercial(w: Component) -> str | None:
    """The name of a standard non-commercial licence on the weights, else ``None``.

    Raters rate weights shared "only through CC-BY-NC" as partly shared; bespoke licences
    are judged by the licences parameter, not here.
    """
    lic = w.license
    if lic is None or not _standard(lic):
        return None
    known = lic.classification.license
    if known is not None and known.terms.commercial_use is False:
        return known.name
    return None


def datasources(ds: Component, ev: Evidence) -> Rating:
    """datasources_endmodel: are the training data sources named and available?"""
    named = ev.of("data.dataset", "data.dataset_link", "data.external")
    files = ev.of("data.file", "data.release")
    withheld = ev.of("data.withheld")
    if ds.status == "closed" and not named:
        return Rating("closed", ds.reason, locs(list(ds.evidence)))
    if named or files:
        facts = [*named, *files]
        what = _names(facts)
        missing = ds.attributes.get("missing_datasets") or []
        if withheld:
            return Rating("partial", f"training data sources named ({what}), but the card "
                          f"also says data is withheld: {withheld[0].snippet}",
                          locs([*facts, *withheld]))
        if missing:
            return Rating("partial", f"training data sources named ({what}), but "
                          f"{', '.join(missing)} could not be found", locs(facts))
        unlinked = ev.of("data.mix_unlinked")
        if unlinked and named:
            # The Index's "partly disclosed": the card's own data mix names sources it does
            # not publish beside the ones it does.
            return Rating("partial", f"training data sources named ({what}), but the card's "
                          f"data mix ({unlinked[0].location()}) also lists sources not "
                          f"published: {unlinked[0].value}", locs([*facts, unlinked[0]]))
        hubs = [f for f in named if f.kind != "data.external"]
        where = ("in the release" if files and not named else
                 "on the Hugging Face Hub" if hubs and len(hubs) == len(named) else
                 "online (hosts outside the Hub not checked)")
        return Rating("open", f"training data sources named and publicly available {where}: "
                      f"{what}", locs(facts))
    described = ev.of("data.description")
    if withheld:
        return Rating("closed", f"training data withheld: {withheld[0].snippet}",
                      locs(withheld))
    if described:
        if any(f.attrs.get("names_source") for f in described):
            return Rating("partial", "training data described in the card with sources "
                          f"named in prose ({described[0].location()}), none linked as a "
                          "dataset", locs(described))
        return Rating("closed", "training data described only in general terms, no source "
                      f"named ({described[0].location()})", locs(described))
    return absent("disclosure of training data sources")


def _own_code(ev: Evidence) -> tuple[list[Fact], list[Fact], list[Fact]]:
    """(training files, preprocessing files, own repositories not followed)."""
    training = ev.of("code.training", "code.training_config")
    prep = ev.of("code.preprocessing")
    repos = [f for f in ev.of("code.repo") if not f.attrs.get("followed")]
    return training, prep, repos


def trainingcode(ev: Evidence) -> Rating:
    """trainingcode: the training and data-processing code."""
    withheld = ev.of("code.withheld")
    training, prep, repos = _own_code(ev)
    if training and prep:
        return Rating("open", f"training code ({_names(training, 2)}) and data-processing "
                      f"code ({_names(prep, 2)}) published", locs([*training, *prep]))
    if training or prep:
        facts = training or prep
        what = "training" if training else "data-processing"
        if repos:
            # What was found already makes it partial; only "open" depends on the
            # repository we did not read, so the rating is a lower bound that says so.
            return Rating("partial", f"at least partial: {what} code published "
                          f"({_names(facts, 2)}); the rest may be in the release's code "
                          f"repository {_names(repos, 3)} (not followed, so not checked)",
                          locs([*facts, *repos]))
        return Rating("partial", f"only {what} code published: {_names(facts, 2)}",
                      locs(facts))
    if withheld:
        return Rating("closed", f"training code stated as not released: "
                      f"{withheld[0].snippet}", locs(withheld))
    if repos:
        return not_checked("the card presents a code repository as the release's own", repos)
    followed = [f for f in ev.of("code.repo") if f.attrs.get("followed")]
    if followed:
        names = ", ".join(dict.fromkeys(str(f.attrs.get("repo") or f.value) for f in followed))
        return Rating("closed", f"the repository holds no training code ({names}: no training "
                      "or data-processing files by name)", locs(followed))
    return absent("training code (tool and library repositories are not the release's "
                  "code)")


def code_docs(ev: Evidence) -> Rating:
    """code: documentation of the release's own training code."""
    training, prep, repos = _own_code(ev)
    readmes = [f for f in ev.of("code.repo_docs") if f.attrs.get("followed")]
    if readmes:
        best = max(readmes, key=lambda f: (bool(f.attrs.get("training")),
                                           int(f.attrs.get("words") or 0)))
        words = int(best.attrs.get("words") or 0)
        sections = ", ".join(str(x) for x in best.attrs.get("sections") or ())
        what = f"the repository README ({best.attrs.get('repo')}, {words} words) documents " \
               f"{sections}"
        if not (training or prep):
            # The raters' "no code, so no documentation": a repository of inference or demo
            # code documents no training code.
            return Rating("closed", f"{what}, but the repository holds no training code to "
                          "document", locs(readmes))
        # "Comprehensive" is about the code itself being documented, which a README does
        # not show: README evidence rates partial at best.
        return Rating("partial", f"{what}" + (", training included" if best.attrs.get(
            "training") else ", not training") + "; in-code documentation not judged",
            locs(readmes))
    if repos:
        return not_checked("how well the release's code repository documents its code "
                           "needs the repository", repos)
    followed = [f for f in ev.of("code.repo") if f.attrs.get("followed")]
    if followed and not (training or prep):
        return Rating("closed", "the repository's README documents neither usage nor "
                      "training", locs(followed))
    if training or prep:
        what = _names(training or prep, 2)
        docs = [f for f in ev.of("doc.section") if f.attrs.get("filled")
                and f.value in ("training_details", "how_to_use")]
        if docs:
            return Rating("partial", f"code published in the release ({what}) with usage "
                          f"documentation in the card ({docs[0].location()}); in-code "
                          "documentation not judged", locs([*training, *prep, *docs]))
        return Rating("partial", f"code published in the release ({what}) without "
                      "documentation of its use in the card", locs([*training, *prep]))
    return absent("training code, so no code documentation (a usage snippet is not code "
                  "documentation)")


def _own_papers(ev: Evidence) -> list[Fact]:
    return [f for f in ev.of("research.arxiv", "research.paper", "research.doi",
                             "research.tech_report", "research.tech_report_mention")
            if f.own]


def architecture(ev: Evidence) -> Rating:
    """hardware_architecture: architecture and training hardware documented."""
    arch = [f for f in ev.of("doc.section") if f.value == "model_architecture"
            and f.attrs.get("filled")] + ev.of("doc.architecture")
    hardware = [f for f in ev.of("doc.section") if f.value == "hardware"
                and f.attrs.get("filled")] + ev.of("doc.hardware")
    papers = _own_papers(ev)
    if arch and hardware:
        if papers:
            return Rating("open", f"architecture ({arch[0].location()}) and training hardware "
                          f"({hardware[0].location()}: {hardware[0].value}) documented, with "
                          f"the release's own paper ({papers[0].value})",
                          locs([*arch, *hardware, *papers]))
        return Rating("partial", f"architecture ({arch[0].location()}) and training hardware "
                      f"({hardware[0].location()}) documented at card level only, with no "
                      "paper or report of the release's own", locs([*arch, *hardware]))
    if arch or hardware:
        facts = arch or hardware
        what = "architecture" if arch else "training hardware"
        return Rating("partial", f"only the {what} is documented ({facts[0].location()})",
                      locs(facts))
    named = ev.of("doc.architecture_named")
    if named:
        # Raters give partial to "some information on architecture"; a paper we did not
        # read may hold more, so with one the rating is a lower bound that says so.
        more = (f"; the release's own paper ({papers[0].value}) may document more (not "
                "checked)" if papers else "")
        return Rating("partial", f"{'at least partial: ' if papers else ''}the architecture "
                      f"is only named in prose ({named[0].location()}: {named[0].value}), "
                      f"with no dimensions or hardware{more}", locs([*named, *papers]))
    if papers:
        return not_checked("the card documents neither architecture nor hardware; the "
                           "release's own paper or report may", papers)
    return absent("architecture or hardware documentation (a config.json alone is not "
                  "documentation)")


def preprint(ev: Evidence) -> Rating:
    """preprint: the release's own preprint."""
    arxiv = [f for f in ev.of("research.arxiv") if f.own]
    if arxiv:
        return Rating("open", f"own preprint arXiv:{arxiv[0].value}", locs(arxiv))
    reports = [f for f in ev.of("research.tech_report", "research.tech_report_mention")
               if f.own]
    if reports:
        return Rating("partial", f"a technical report, no preprint: {reports[0].location()}",
                      locs(reports))
    data = [f for f in ev.of("research.cited") if f.attrs.get("about") == "training-data"
            and f.attrs.get("type") == "arxiv"]
    if data:
        # Raters give partial to a preprint that covers one part of the release (its
        # training data) but not the model itself.
        return Rating("partial", f"only a preprint about the training data, not the model: "
                      f"arXiv:{data[0].value} ({data[0].location()}: "
                      f"\"{data[0].attrs.get('context')}\")", locs(data))
    soon = ev.of("research.forthcoming")
    if soon:
        return Rating("closed", f"a paper is announced, not published: {soon[0].snippet}",
                      locs(soon))
    return absent("preprint of the release's own (papers it cites do not count)")


def paper(ev: Evidence) -> Rating:
    """paper: a peer-reviewed paper about the release."""
    papers = [f for f in ev.of("research.paper", "research.doi")
              if f.own and f.attrs.get("paper", True) is not False]
    if papers:
        return Rating("open", f"peer-reviewed publication: {papers[0].value}", locs(papers))
    return absent("peer-reviewed paper about the release")


#: Model-card topic groups raters look for, and the section topics that fill each.
CARD_GROUPS: dict[str, tuple[str, ...]] = {
    "details": ("model_details", "model_architecture"),
    "uses": ("intended_uses",),
    "limitations": ("limitations", "bias_risks"),
    "training data": ("training_data",),
    "training procedure": ("training_details",),
    "evaluation": ("evaluation",),
}
#: Words a section needs to count as documentation rather than a one-line remark.
SUBSTANTIVE_WORDS = 40


def _with_figure(rating: Rating, figure: str) -> Rating:
    """``rating`` with ``figure`` appended to its reason (the value is unchanged)."""
    return replace(rating, reason=f"{rating.reason} ({figure})")


def modelcard(ev: Evidence) -> Rating:
    """modelcard: does the card document the model (not only usage or advertising)?

    The reason also gives the card's completeness against the Hugging Face template
    (:func:`openscope.analysis.documentation.model_card`); it does not change the rating.
    """
    rating = _modelcard(ev)
    if ev.first("doc.model_card") is None:
        return rating
    filled = model_card(ev)["filled"]
    return _with_figure(rating, f"template sections filled: {filled}/"
                                f"{len(MODEL_CARD_SECTIONS)}")


def _modelcard(ev: Evidence) -> Rating:
    card = ev.first("doc.model_card")
    if card is None:
        return absent("model card")
    # A section's own text counts (a card-title heading spans the whole card).
    sections = [f for f in ev.of("doc.section") if f.attrs.get("filled")
                and int(f.attrs.get("own_words", f.attrs.get("words", SUBSTANTIVE_WORDS)))
                >= SUBSTANTIVE_WORDS]
    filled = {f.value for f in sections}
    groups = [g for g, topics in CARD_GROUPS.items() if filled & set(topics)]
    if "evaluation" not in groups and ev.has("eval.results"):
        groups.append("evaluation")
    facts = [f for f in sections if any(f.value in CARD_GROUPS[g] for g in groups)]
    covered = ", ".join(groups) or "none"
    if len(groups) >= 5:
        return Rating("open", f"model card documents {len(groups)}/6 topics: {covered}",
                      locs(facts))
    if len(groups) >= 2:
        return Rating("partial", f"model card documents {len(groups)}/6 topics: {covered}",
                      locs(facts))
    return Rating("closed", f"model card documents {len(groups)}/6 topics ({covered}): it "
                  "mostly gives usage or points elsewhere", locs([card, *facts]))


def datasheet(ds: Component, ev: Evidence, derived: bool) -> Rating:
    """datasheet: a datasheet or real dataset cards for the training data.

    When the card answers a datasheet (or the release is a dataset with a card), the reason
    also gives the Datasheets-for-Datasets groups answered
    (:func:`openscope.analysis.documentation.data_card`); it does not change the rating.
    """
    rating = _datasheet(ds, ev, derived)
    if ev.has("doc.datasheet") or (ev.has("data.release") and ev.has("doc.model_card")):
        answered = data_card(ev)["filled"]
        return _with_figure(rating, f"datasheet question groups answered: {answered}/"
                                    f"{len(DATASHEET_GROUPS)}")
    return rating


def _datasheet(ds: Component, ev: Evidence, derived: bool) -> Rating:
    sheets = ev.of("data.card", "doc.datasheet", "doc.training_content_summary")
    if sheets:
        return Rating("open", f"datasheet shipped: {sheets[0].location()}", locs(sheets))
    if ev.has("data.release") and ev.has("card.present"):
        card = ev.first("doc.model_card")
        words = int(card.attrs.get("words", 0)) if card else 0
        if words >= 150:
            return Rating("open", "the release is a dataset documented by its own dataset "
                          "card", locs(ev.of("card.present")))
    documented = list(ds.attributes.get("documented_datasets") or [])
    collected = list(ds.attributes.get("datasets") or [])
    named = ev.of("data.dataset", "data.dataset_link")
    if documented:
        every = len(documented) >= len({f.value for f in named}) and len(documented) == \
            len(collected)
        if every and not derived:
            return Rating("open", f"every named dataset has a dataset card: "
                          f"{', '.join(documented[:4])}", tuple(documented[:5]))
        why = ("the base model's training data is not documented here" if every
               else "not every named dataset has one")
        return Rating("partial", f"dataset cards for {', '.join(documented[:4])}; {why}",
                      tuple(documented[:5]))
    if named and not collected:
        return not_checked("training datasets are named; their dataset cards were not "
                           "collected", named)
    described = ev.of("data.description")
    extra = (f" (the training-data paragraph at {described[0].location()} is not a "
             "datasheet)") if described else ""
    return absent("datasheet or dataset card" + extra)


def licenses(parts: dict[str, Component], ev: Evidence | None = None) -> Rating:
    """licenses: the licences declared for the release's parts, led by the weights.

    When the weight files were not seen (no file listing recorded), the licence the release
    declares for its weights (the card's ``license:``, a Hub tag, a licence file) still
    says what the weights are under: raters read that declaration, not the file list.
    """
    weights = parts["weights"]
    lic = weights.license
    if lic is None and ev is not None and weights.status == "unknown":
        lic = decide(licenses_for(ev, "weights"))
    declared = {n: c for n, c in parts.items() if c.license is not None}
    evidence = tuple(dict.fromkeys(
        loc for lc in [lic, *(c.license for n, c in declared.items() if n != "weights")]
        if lc is not None for loc in [f.location() for f in lc.facts[:2]] or [lc.raw]))
    if lic is None:
        others = "; ".join(f"{n}: {p.license.raw}" for n, p in declared.items()
                           if p.license is not None)
        # Absence: where the listing was not recorded a LICENSE file may still exist.
        return Rating("closed", "no licence found for the weights"
                      + (f" (declared for other parts: {others})" if others else ""),
                      evidence, basis="absence")
    c = lic.classification
    name = c.license.name if c.license else lic.raw
    terms = [m.terms for m in (list(c.members) or ([c.license] if c.license else []))]
    if c.openness == "unknown":
        return Rating("unknown", f"the weights' licence {lic.raw!r} could not be identified",
                      evidence)
    if weights.license is None:
        name += " (declared for the release; the weight files were not listed)"
    if c.openness == "open":
        restricted = [f"{n}: {p.license.raw}" for n, p in declared.items()
                      if n != "weights" and p.license is not None
                      and p.license.classification.openness == "restricted"]
        if restricted:
            return Rating("partial", f"weights under {name}, but " + "; ".join(restricted),
                          evidence)
        return Rating("open", f"weights under {name}, an open licence"
                      + (", as are the other declared parts" if len(declared) > 1 else ""),
                      evidence)
    bespoke = any(t.use_restrictions or t.user_threshold or t.revenue_threshold
                  for t in terms)
    if not bespoke and any(t.commercial_use is False or t.modification is False
                           for t in terms) and _standard(lic):
        return Rating("partial", f"weights under {name}: a standard licence that forbids "
                      "commercial use or derivatives", evidence)
    return Rating("closed", f"weights under {name}: not an open licence (use restrictions, "
                  "acceptance of bespoke terms)", evidence)


def _standard(lic: Any) -> bool:
    """A licence from the SPDX list (e.g. CC-BY-NC-4.0), not a bespoke model licence."""
    known = lic.classification.license
    return bool(known and known.spdx_id and not str(known.spdx_id).startswith("LicenseRef"))
