"""Diagram 1-8 and Figur 1: the data behind each (a long data frame) and its seaborn figure.

One theme for all: `theme()`. Each `diagram_<n>(sf)` returns (data, figure); `save` writes
`diagram_<n>.csv/.png/.svg` deterministically (fixed SVG hash salt, no dates in metadata).
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from .. import fmt  # noqa: E402
from ..contract.labels import AVSLUT, KON, SYSSELSATTNING  # noqa: E402
from ..metrics import definitions as metrics  # noqa: E402
from ..params import read_yaml  # noqa: E402
from . import diagram_hiding as hiding  # noqa: E402
from .figures import ScopeFigures  # noqa: E402

WIDTH_CM, HEIGHT_CM = 16.0, 8.5  # fits an A4 text column
DPI = 200
# zlib level 3 instead of 6: half the PNG encoding time (~0.08 s a diagram) for ~13 % larger files
PNG_COMPRESS_LEVEL = 3
PALETTE = {"Kvinnor": "#C0392B", "Män": "#1F5F8B"}
YEAR_COLORS = ("#9DB9D1", "#1F5F8B")  # Y-1 light, Y dark
REASON_COLORS = dict(zip(AVSLUT.values(), ("#2E8B57", "#1F5F8B", "#A0A0A0")))  # studier, arbete, övrigt


def theme() -> None:
    """The report's one seaborn theme."""
    sns.set_theme(context="paper", style="whitegrid", font="DejaVu Sans", rc={
        "axes.titlesize": 10, "axes.labelsize": 9, "xtick.labelsize": 8, "ytick.labelsize": 8,
        "legend.fontsize": 8, "legend.title_fontsize": 8, "axes.spines.top": False,
        "axes.spines.right": False, "svg.hashsalt": "kaa-report", "svg.fonttype": "path",
    })


def _fig(height_cm: float = HEIGHT_CM):
    theme()
    return plt.subplots(figsize=(WIDTH_CM / 2.54, height_cm / 2.54))


_COUNT = FuncFormatter(lambda v, _: fmt.antal(v))
_SHARE = FuncFormatter(lambda v, _: fmt.procent(v))


def _share_axis(axis) -> None:
    """Percent ticks on whole percents (no 2,5 % steps that would print rounded)."""
    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(_SHARE)


def _plotted(data: pd.DataFrame, *cols: str) -> pd.DataFrame:
    """Hidden cells (text) and missing shares drawn as 0, so every bar keeps its place.
    Text columns go to seaborn as plain objects: with pandas' Arrow-backed strings its
    grouping costs ~20 % of a diagram."""
    data = data.astype({c: object for c in data.columns if pd.api.types.is_string_dtype(data[c])})
    return data.assign(**{c: pd.to_numeric(data[c], errors="coerce").fillna(0) for c in cols})


def _note(fig, sf: ScopeFigures, data: pd.DataFrame, how: str = hiding.NO_BAR) -> None:
    import textwrap

    text = hiding.legend(sf, data, how)
    if text:
        fig.text(0.01, -0.02, "\n".join(textwrap.wrap(text, 130)), fontsize=6, ha="left", va="top")


def _legend_on_top(ax) -> None:
    ax.legend(title="", frameon=False, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))


def _label_bars(ax, share: bool = False) -> None:
    """Value labels on every bar (for diagrams whose data has no hidden cells)."""
    for c in ax.containers:
        ax.bar_label(c, labels=[_text(v, share) for v in c.datavalues], fontsize=7, padding=2)


def _text(v, share: bool) -> str:
    """A cell as printed: a hidden cell's label as it is, a missing share as "–"."""
    if isinstance(v, str):
        return v
    return fmt.procent(v) if share else fmt.antal(v)


def _label_cells(ax, data: pd.DataFrame, cat: str, hue: str, hue_order: list[str], col: str,
                 share: bool = False, horizontal: bool = False) -> None:
    """Label each bar from the data behind it, so a hidden cell (drawn as 0) reads "<5"."""
    ticks = ax.get_yticklabels() if horizontal else ax.get_xticklabels()
    cats = [t.get_text() for t in ticks]
    for level, c in zip(hue_order, ax.containers):
        sub = data[data[hue].astype(str) == str(level)]
        cell = dict(zip(sub[cat].astype(str), sub[col]))
        ax.bar_label(c, labels=[_text(cell.get(k), share) for k in cats], fontsize=7, padding=2)


def _years(sf: ScopeFigures) -> list[str]:
    return [str(sf.year - 1), str(sf.year)]


def _wrap(label: str, width: int = 12) -> str:
    """Break a long axis label at spaces or hyphens so neighbours do not overlap."""
    import textwrap

    return "\n".join(textwrap.wrap(label, width, break_on_hyphens=True)) or label


def diagram_1(sf: ScopeFigures):
    """Omfattade per operating year, all years in the data up to Y, by kön (stacked). With
    suppression, a year whose split by kön is hidden gets one grey bar of its total, the
    split's signs written in it."""
    exact = sf.omfattade_serie
    data, total_signs = hiding.omfattade_hidden(sf, exact)
    fig, ax = _fig()
    hidden_color = "#B8B8B8"
    for y, rows in data.groupby("ar", sort=True):
        x = str(y)
        ex = exact.loc[rows.index].set_index("kon")["omfattade"]
        shown = rows.set_index("kon")["omfattade"]
        total = int(ex.sum())
        split_hidden = any(isinstance(v, str) for v in shown)
        if split_hidden:
            text = "\n".join(f"{KON[k][0]}: {shown[k] if isinstance(shown[k], str) else fmt.antal(shown[k])}"
                             for k in ("K", "M") if k in shown)
            height = total if total_signs.get(y) is None else 0
            ax.bar(x, height, color=hidden_color, width=0.65)
            ax.annotate(text, (x, height), ha="center", va="bottom", fontsize=6, xytext=(0, 12), textcoords="offset points")
        else:
            bottom = 0
            for k in ("K", "M"):
                ax.bar(x, ex.get(k, 0), bottom=bottom, color=PALETTE[KON[k]], width=0.65)
                bottom += ex.get(k, 0)
        label = total_signs.get(y) or fmt.antal(total)
        ax.annotate(label, (x, total if total_signs.get(y) is None else 0), ha="center", va="bottom", fontsize=7,
                    xytext=(0, 2), textcoords="offset points")
    from matplotlib.patches import Patch

    handles = [Patch(color=PALETTE[KON[k]], label=KON[k]) for k in ("K", "M")]
    if any(isinstance(v, str) for v in data["omfattade"]):
        handles.append(Patch(color=hidden_color, label="Uppdelning dold"))
    ax.yaxis.set_major_formatter(_COUNT)
    ax.grid(axis="x", visible=False)
    ax.set(xlabel="Verksamhetsår", ylabel="Antal ungdomar")
    ax.legend(handles=handles, title="", frameon=False, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    ax.margins(y=0.18)  # room for the labels over the bars
    _note(fig, sf, data.assign(summa=[total_signs.get(y) for y in data["ar"]]),
          " En grå stapel visar en totalsiffra vars uppdelning på kön är dold.")
    return data, fig


def _nadda_per_stadsdel(sf: ScopeFigures) -> pd.DataFrame:
    rows = []
    for label, pf in ((str(sf.year - 1), sf.pf_prev), (str(sf.year), sf.pf)):
        g = pf[pf["nadda"]].groupby("stadsdel").size()
        for sd in stadsdelar_of_scope(sf):
            rows.append({"stadsdel": sd, "ar": label, "nadda": int(g.get(sd, 0))})
    return pd.DataFrame(rows)


def stadsdelar_of_scope(sf: ScopeFigures) -> list[str]:
    """The scope's stadsdelar in mapping order, "Saknar stadsdel" last (for the city)."""
    return sf.run.stadsdelar_of_scope(sf.scope)


def _half(sf: ScopeFigures, first: bool) -> list[str]:
    sds = stadsdelar_of_scope(sf)
    cut = (len(sds) + 1) // 2
    return sds[:cut] if first else sds[cut:]


def _andel_nadda_data(sf: ScopeFigures) -> pd.DataFrame:
    """Diagram 4's data: nådda, sökta and their share per unit of the scope and kön, Y."""
    per = metrics.counts_by(sf.pf, sf.unit_kind, [key for key, _ in sf.units])
    rows = []
    for key, name in sf.units:
        for k in ("K", "M"):
            n, s = per[key][f"nadda_{k.lower()}"], per[key][f"sokta_{k.lower()}"]
            rows.append({"enhet": name, "kon": KON[k], "nadda": n, "sokta": s, "andel_nadda": metrics.compute("kvot", [n, s])})
    return pd.DataFrame(rows, columns=["enhet", "kon", "nadda", "sokta", "andel_nadda"])


def _nadda_hidden(sf: ScopeFigures) -> dict:
    """The signs of Diagram 2/3 (nådda per stadsdel, Y-1 and Y) and Diagram 4 (nådda and
    sökta per unit and kön, Y), chosen together: in a jobbtorg report the units of Diagram
    4 are the stadsdelar of Diagram 2/3, so a stadsdel's nådda = its kvinnor + män. The
    sums over the units are the scope's nyckeltal, hidden or shown as everywhere else.
    Keys ("d2", row of _nadda_per_stadsdel), ("d4n"/"d4s", row of _andel_nadda_data)."""
    from ..privacy.suppress import Relation, choose

    d2, d4 = _nadda_per_stadsdel(sf), _andel_nadda_data(sf)
    values = {("d2", i): d2.at[i, "nadda"] for i in d2.index}
    values.update({("d4n", i): d4.at[i, "nadda"] for i in d4.index})
    values.update({("d4s", i): d4.at[i, "sokta"] for i in d4.index})
    rels, shown, hidden = [], set(), set()

    def total(name, key, prev, parts):
        values[("summa", name)] = (sf.nyckeltal_prev if prev else sf.nyckeltal)[key]
        rels.append(Relation(("summa", name), tuple(parts)))
        (hidden if sf.sign(key, prev) is not None else shown).add(("summa", name))

    for y in d2["ar"].unique():
        total(("d2", y), "nadda", y == str(sf.year - 1), [("d2", i) for i in d2.index[d2["ar"] == y]])
    for k in ("K", "M"):
        rows = d4.index[d4["kon"] == KON[k]]
        total(("d4n", k), f"nadda_{k.lower()}", False, [("d4n", i) for i in rows])
        total(("d4s", k), f"sokta_{k.lower()}", False, [("d4s", i) for i in rows])
    if sf.unit_kind == "stadsdel":
        names = dict(sf.units)
        for i in d2.index[d2["ar"] == str(sf.year)]:
            parts = [("d4n", j) for j in d4.index if d4.at[j, "enhet"] == names.get(d2.at[i, "stadsdel"])]
            if len(parts) == 2:
                rels.append(Relation(("d2", i), tuple(parts)))
    hid = choose(values, rels, sf.suppression.n, shown=shown, hidden=hidden)
    return {k: hid.sign(k, sf.suppression) for k in values if k[0] != "summa"}


def _nadda_diagram(sf: ScopeFigures, first: bool):
    data = _nadda_per_stadsdel(sf)
    if sf.suppression is not None:
        signs = _nadda_hidden(sf)
        data = hiding.with_signs(sf, data, {i: signs[("d2", i)] for i in data.index}, "nadda")
    keep = data["stadsdel"].isin(_half(sf, first))
    exact = hiding.exact_data(data)[keep].reset_index(drop=True)
    data = hiding.keep_exact(data[keep].reset_index(drop=True), exact) if sf.suppression is not None else exact
    fig, ax = _fig()
    if data.empty:
        ax.text(0.5, 0.5, "Inga fler stadsdelar i detta område", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return data, fig
    years = _years(sf)
    sns.barplot(data=_plotted(data, "nadda"), y="stadsdel", x="nadda", hue="ar", hue_order=years,
                palette=list(YEAR_COLORS), ax=ax, orient="h", errorbar=None)
    _label_cells(ax, data, "stadsdel", "ar", years, "nadda", horizontal=True)
    ax.xaxis.set_major_formatter(_COUNT)
    ax.set(xlabel="Antal nådda ungdomar", ylabel="")
    _legend_on_top(ax)
    _note(fig, sf, data)
    return data, fig


def diagram_2(sf: ScopeFigures):
    """Nådda per stadsdel, Y against Y-1: the first half of the scope's stadsdelar (mapping order)."""
    return _nadda_diagram(sf, first=True)


def diagram_3(sf: ScopeFigures):
    """Nådda per stadsdel, Y against Y-1: the second half of the scope's stadsdelar."""
    return _nadda_diagram(sf, first=False)


def diagram_4(sf: ScopeFigures):
    """Andel nådda (nådda / sökta) per unit of the scope, by kön, Y."""
    data = _andel_nadda_data(sf)
    if sf.suppression is not None:  # a share is hidden with its numerator or its denominator
        signs = _nadda_hidden(sf)
        exact = data
        data = hiding.with_signs(sf, data, {i: signs[("d4n", i)] for i in data.index}, "nadda", ("andel_nadda",))
        data = hiding.with_signs(sf, data, {i: signs[("d4s", i)] for i in data.index}, "sokta", ("andel_nadda",))
        data = hiding.keep_exact(data, exact)
    fig, ax = _fig()
    kon = list(KON.values())
    sns.barplot(data=_plotted(data, "andel_nadda"), x="enhet", y="andel_nadda", hue="kon", hue_order=kon,
                palette=PALETTE, ax=ax, errorbar=None)
    _label_cells(ax, data, "enhet", "kon", kon, "andel_nadda", share=True)
    _share_axis(ax.yaxis)
    ax.set(xlabel="", ylabel="Andel nådda av sökta", ylim=(0, 1))
    _legend_on_top(ax)
    ax.set_xticks(range(len(sf.units)), [_wrap(name) for _, name in sf.units])
    _note(fig, sf, data)
    return data, fig


def diagram_5(sf: ScopeFigures):
    """Sysselsättning vid första kontakt, Y-1 and Y, the categories other than `ingen`:
    persons per category and their share of nådda with a registered sysselsättning."""
    rows = []
    for label, pf_ in ((str(sf.year - 1), sf.pf_prev), (str(sf.year), sf.pf)):
        first = pf_["sysselsattning_forsta"].dropna()
        den = len(first)
        for code, name in SYSSELSATTNING.items():
            if code == "ingen":
                continue
            n = int((first == code).sum())
            rows.append({"sysselsattning": name, "ar": label, "antal": n, "andel": metrics.compute("kvot", [n, den])})
    data = pd.DataFrame(rows)  # the categories of a year add up to the nyckeltal sysselsatta
    data = hiding.hide(sf, data, "antal", ("andel",),
                 totals={y: (data.index[data["ar"] == y], ("sysselsatta", y == str(sf.year - 1))) for y in data["ar"].unique()})
    fig, ax = _fig(9.5)
    years = _years(sf)
    sns.barplot(data=_plotted(data, "andel"), y="sysselsattning", x="andel", hue="ar", hue_order=years,
                palette=list(YEAR_COLORS), ax=ax, orient="h", errorbar=None)
    _label_cells(ax, data, "sysselsattning", "ar", years, "andel", share=True, horizontal=True)
    _share_axis(ax.xaxis)
    ax.set(xlabel="Andel av nådda med registrerad sysselsättning", ylabel="")
    _legend_on_top(ax)
    _note(fig, sf, data)
    return data, fig


def diagram_6(sf: ScopeFigures):
    """Avslutade till studier, arbete and övrigt, Y-1 and Y, by kön."""
    rows, signs = [], {}
    for label, nt, prev in ((str(sf.year - 1), sf.nyckeltal_prev, True), (str(sf.year), sf.nyckeltal, False)):
        for k in ("K", "M"):
            for code, reason in AVSLUT.items():
                key = f"avslutade_{code}_{k.lower()}"
                signs[len(rows)] = sf.sign(key, prev)
                rows.append({"ar": label, "kon": KON[k], "orsak": reason, "antal": nt[key]})
    data = pd.DataFrame(rows)
    if sf.suppression is not None:
        data = hiding.with_signs(sf, data, signs, "antal")
    theme()
    reasons = list(REASON_COLORS)
    fig, axes = plt.subplots(1, 2, sharey=True, figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54))
    plotted = _plotted(data, "antal")
    for ax, kon in zip(axes, KON.values()):  # one panel per kön (as seaborn's catplot, without its grid's layouts)
        sns.barplot(data=plotted[plotted["kon"] == kon], x="ar", y="antal", hue="orsak", hue_order=reasons,
                    palette=REASON_COLORS, ax=ax, legend=ax is axes[0], errorbar=None)
        _label_cells(ax, data[data["kon"] == kon], "ar", "orsak", reasons, "antal")
        ax.yaxis.set_major_formatter(_COUNT)
        ax.set(xlabel="", ylabel="Antal avslutade" if ax is axes[0] else "", title=kon)
    handles, labels = axes[0].get_legend_handles_labels()
    axes[0].get_legend().remove()
    fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, title="", frameon=False)
    fig.tight_layout()
    _note(fig, sf, data)
    return data, fig


def diagram_7(sf: ScopeFigures):
    """Aim: utskrivna by avslutsorsak (studier, arbete, övrigt) as shares, Y-1 and Y. With
    suppression the counts are hidden as in the scope's nyckeltal, and a share with them
    (or with a hidden aim_avslutade)."""
    rows, signs = [], {}
    for label, nt, prev in ((str(sf.year - 1), sf.nyckeltal_prev, True), (str(sf.year), sf.nyckeltal, False)):
        total = nt["aim_avslutade"]
        for code, reason in AVSLUT.items():
            n = nt[f"aim_avslutade_{code}"]
            signs[len(rows)] = (sf.sign(f"aim_avslutade_{code}", prev), sf.sign("aim_avslutade", prev))
            rows.append({"ar": label, "orsak": reason, "antal": n, "andel": metrics.compute("kvot", [n, total])})
    data = pd.DataFrame(rows)
    if sf.suppression is not None:
        shown = hiding.with_signs(sf, data, {i: own for i, (own, _) in signs.items()}, "antal", ("andel",))
        for i, (own, of_total) in signs.items():
            if of_total is not None:
                shown.at[i, "andel"] = sf.suppression.secondary_label
        data = shown
    fig, ax = _fig()
    years = _years(sf)
    sns.barplot(data=_plotted(data, "andel"), x="orsak", y="andel", hue="ar", hue_order=years,
                palette=list(YEAR_COLORS), ax=ax, errorbar=None)
    _label_cells(ax, data, "orsak", "ar", years, "andel", share=True)
    _share_axis(ax.yaxis)
    ax.set(xlabel="", ylabel="Andel av utskrivna från Aim", ylim=(0, 1))
    _legend_on_top(ax)
    _note(fig, sf, data)
    return data, fig


def diagram_8(sf: ScopeFigures):
    """Enkäten: answers 1-5 to "Har du fått hjälpen du behövde från oss?", Y (city-wide)."""
    nt = sf.enkat
    data = pd.DataFrame({"svar": list(range(1, 6)), "antal": [nt[f"enkat_svar_{v}"] for v in range(1, 6)]})
    fig, ax = _fig()
    sns.barplot(data=data, x="svar", y="antal", color=YEAR_COLORS[1], ax=ax, errorbar=None)
    _label_bars(ax)
    ax.yaxis.set_major_formatter(_COUNT)
    scope_note = "" if sf.city else " (hela staden)"
    ax.set(xlabel="Svar (1 = inte alls, 5 = helt och hållet)", ylabel="Antal svar",
           title=f"Har du fått hjälpen du behövde från oss?{scope_note} n = {fmt.antal(nt['enkat_svarande'])}")
    return data, fig


# Diagrams drawn from figures several scopes share, and what each is drawn from: a build's
# kernel draws such a diagram once and copies its files for the next scope with the same
# inputs (pipeline/notebook.py). Diagram 8 is the city's survey in every report.
SHARED_INPUTS = {8: lambda sf: (sf.year, sf.city, tuple(sorted(sf.enkat.items())))}


def figur_1(params_dir: Path):
    """The organisation chart, drawn from params/organisation.yml: boxes and their links."""
    org = read_yaml(params_dir / "organisation.yml")
    boxes = {b["id"]: b for b in org["rutor"]}
    theme()
    fig, ax = plt.subplots(figsize=(WIDTH_CM / 2.54, 11 / 2.54))
    ax.set_axis_off()
    ax.set(xlim=(0, 100), ylim=(min(b["pos"][1] for b in boxes.values()) - 8, 100))
    for a, b in org.get("kopplingar", []):
        (x1, y1), (x2, y2) = boxes[a]["pos"], boxes[b]["pos"]
        ax.plot([x1, x2], [y1, y2], color="#7F8C8D", lw=1, zorder=1)
    for b in boxes.values():
        x, y = b["pos"]
        ax.text(x, y, b["text"], ha="center", va="center", fontsize=7, zorder=2, wrap=True,
                bbox={"boxstyle": "round,pad=0.4", "fc": b.get("farg", "#EAF2F8"), "ec": "#1F5F8B", "lw": 0.8})
    data = pd.DataFrame([{"id": b["id"], "text": b["text"].replace("\n", " ")} for b in boxes.values()])
    return data, fig


def save(data: pd.DataFrame, fig, out_dir: Path, name: str) -> None:
    """Write name.csv, name.png and name.svg (deterministic) and close the figure. The
    tight bounding box is measured once, at the PNG's resolution, and serves both files
    (bbox_inches="tight" would lay the figure out again for each)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data.to_csv(out_dir / f"{name}.csv", index=False, lineterminator="\n")
    fig.set_dpi(DPI)
    bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(plt.rcParams["savefig.pad_inches"])
    fig.savefig(out_dir / f"{name}.png", dpi=DPI, bbox_inches=bbox, metadata={"Software": None},
                pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    fig.savefig(out_dir / f"{name}.svg", bbox_inches=bbox, metadata={"Date": None, "Creator": None})
    plt.close(fig)
