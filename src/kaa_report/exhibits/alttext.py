"""Alt text for the report's diagrams and Figur 1, in Swedish, written from the data behind them.

One function describes every diagram: `beskriv(spec, frame, year)`. The frame is the
diagram's data (diagram_<n>.csv, the frame diagrams.py draws) brought to four columns by
the diagram's adapter in SPECS:

    kategori  the bar's label (stadsdel, jobbtorg, avslutsorsak, ...; "" for one series)
    grupp     a further split drawn side by side (kön), "" when none
    ar        the year of the value ("" when the diagram shows one year only)
    varde     the value as written: a count, a share 0..1, "<5" (suppressed) or "" (missing)

The text says what kind of chart it is and what it shows, the largest and the smallest
value (ties named together), the largest increase and decrease from the year before when
the diagram has more than one year, and how many values are hidden. Suppressed and
missing values are left out of all of it. Numbers are formatted with kaa_report.fmt
("7 546", "54 %"); shares are compared as printed (whole percent).

`organisation(org)` describes Figur 1 from params/organisation.yml; `for_scope` reads a
scope's build output and returns the alt text of every exhibit with an image.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .. import fmt

log = logging.getLogger(__name__)

COLUMNS = ["kategori", "grupp", "ar", "varde"]


@dataclass(frozen=True)
class Spec:
    """How one diagram is described.

    typ: the kind of chart ("Stapeldiagram"); vad: what it shows, with {ar} for the years
    ("nådda ungdomar per stadsdelsområde {ar}"); andel: the values are shares; flest /
    farst: the phrases for the largest and smallest value, with {kategori} or {gemen}
    (the label with a lower-case first letter); storhet: "antalet"/"andelen", used when
    the diagram has a single series ("ökade antalet från … till …")."""

    typ: str
    vad: str
    andel: bool = False
    flest: str = "Flest i {kategori}"
    farst: str = "färst i {kategori}"
    gemen_i_serie: bool = False  # name a series by its lower-case label in the change sentence
    storhet: str = "antalet"


# ---------------------------------------------------------------- formatting helpers


def _gemen(text: str) -> str:
    """"Studier som inte syns i BER" -> "studier som inte syns i BER"; "BER" stays."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _lista(items: list[str]) -> str:
    """"A", "A och B", "A, B och C"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def _ar_text(years: list[str]) -> str:
    if not years:
        return ""
    if len(years) == 1:
        return years[0]
    if len(years) == 2:
        return f"{years[0]} och {years[1]}"
    return f"{years[0]}–{years[-1]}"


def _shown(value, andel: bool) -> Decimal | None:
    """The value as the diagram prints it (whole percent for shares), or None when hidden/missing."""
    d = fmt.to_decimal(value)
    if d is None:
        return None
    return fmt.avrunda(d * 100) if andel else d


def _text(shown: Decimal, andel: bool) -> str:
    return fmt.procent(shown / 100) if andel else fmt.antal(shown)


def _delta(d: Decimal, andel: bool) -> str:
    """A change between two shown values, signed: "+12", "−3 procentenheter"."""
    return fmt.procentenheter(d / 100, tecken=True) if andel else fmt.antal(d, tecken=True)


# ---------------------------------------------------------------- the one description


def beskriv(spec: Spec, frame: pd.DataFrame, year: int) -> str:
    """The alt text of one diagram from its normalised frame (kategori, grupp, ar, varde).

    `year` names the year when the frame has no `ar` values (a diagram of one year)."""
    df = frame.reindex(columns=COLUMNS).fillna("").astype({"kategori": str, "grupp": str, "ar": str})
    years = sorted({a for a in df["ar"] if a})
    head = f"{spec.typ}: {spec.vad.format(ar=_ar_text(years) or str(year))}."
    df = df.assign(visat=[_shown(v, spec.andel) for v in df["varde"]])
    shown = df[df["visat"].notna()]
    raw = df["varde"].map(lambda v: str(v).strip())
    missing = raw.isin(["", fmt.SAKNAS])
    hidden_mask = df["visat"].isna() & ~missing
    hidden = sorted(set(raw[hidden_mask]))
    n_hidden, n_missing = int(hidden_mask.sum()), int(missing.sum())

    parts = [head]
    if df.empty:
        parts.append("Diagrammet har inga värden.")
    elif shown.empty:
        parts.append("Alla värden är dolda." if n_hidden and not n_missing else "Inga värden visas.")
    else:
        parts.append(_extremes(spec, shown, df))
        if len(years) >= 2:
            parts.append(_change(spec, shown, years[-2], years[-1]))
    if n_hidden:
        labels = _lista([f"”{h}”" for h in hidden])
        parts.append(f"{n_hidden} {'värde' if n_hidden == 1 else 'värden'} visas som {labels} "
                     "och är inte med i beskrivningen.")
    if n_missing:
        parts.append(f"{n_missing} {'värde saknas' if n_missing == 1 else 'värden saknas'}.")
    return " ".join(p for p in parts if p)


def _qualifier(df: pd.DataFrame, row, used: set[str]) -> str:
    """"(män, 2023)": the grupp and the year of a value, where they vary and the phrase
    does not already name them."""
    q = []
    if "grupp" not in used and df["grupp"].nunique() > 1 and row["grupp"]:
        q.append(_gemen(row["grupp"]))
    if "ar" not in used and df["ar"].nunique() > 1 and row["ar"]:
        q.append(row["ar"])
    return ", ".join(q)


def _extreme(spec: Spec, df: pd.DataFrame, template: str, value: Decimal) -> str:
    """"Flest i A, 426 (2023)"; ties named together: "Flest i A och B, 426 (2023)", or
    "Flest i A (2022) och B (2023), 426" when they differ in year or group. A template
    with {ar} names the year instead of the category ("Flest 2023, 7 546")."""
    rows = df[df["visat"] == value]
    by_year = "{ar}" in template
    labels = [r["ar"] if by_year else r["kategori"] for _, r in rows.iterrows()]
    quals = [_qualifier(df, r, {"ar"} if by_year else set()) for _, r in rows.iterrows()]

    def fill(names: list[str]) -> str:
        return template.format(ar=_lista(names), kategori=_lista(names), gemen=_lista([_gemen(x) for x in names]))

    number = _text(value, spec.andel)
    if len(set(quals)) == 1:
        q = f" ({quals[0]})" if quals[0] else ""
        return f"{fill(list(dict.fromkeys(labels)))}, {number}{q}"
    per_label: dict[str, list[str]] = {}
    for lab, q in zip(labels, quals):
        per_label.setdefault(lab, []).append(q)
    return f"{fill([f'{lab} ({_lista(qs)})' for lab, qs in per_label.items()])}, {number}"


def _extremes(spec: Spec, shown: pd.DataFrame, whole: pd.DataFrame) -> str:
    top, bottom = shown["visat"].max(), shown["visat"].min()
    if len(shown) == 1:
        r = shown.iloc[0]
        qual = _qualifier(whole, r, set())
        name = f"{r['kategori']} ({qual})" if r["kategori"] and qual else r["kategori"] or qual
        return f"Bara ett värde visas: {name}, {_text(top, spec.andel)}."
    if top == bottom:
        return f"Alla visade värden är {_text(top, spec.andel)}."
    return (f"{_extreme(spec, shown, spec.flest, top)}; "
            f"{_extreme(spec, shown, spec.farst, bottom)}.")


def _series_name(spec: Spec, kategori: str, grupp: str) -> str:
    name = _gemen(kategori) if spec.gemen_i_serie else kategori
    if grupp:
        name = f"{name}, {_gemen(grupp)}" if name else _gemen(grupp)
    return name


def _change(spec: Spec, shown: pd.DataFrame, y0: str, y1: str) -> str:
    """The largest increase and the largest decrease from y0 to y1 among the series whose
    values both years are shown; one series: "Från 2022 till 2023 ökade antalet från a till b (+d)"."""
    before = shown[shown["ar"] == y0].set_index(["kategori", "grupp"])["visat"]
    after = shown[shown["ar"] == y1].set_index(["kategori", "grupp"])["visat"]
    common = [k for k in after.index if k in before.index]
    if not common:
        return f"Inga värden kan jämföras mellan {y0} och {y1}."
    changes = [(k, before[k], after[k], after[k] - before[k]) for k in common]
    fran = f"Från {y0} till {y1}"
    if len(changes) == 1:
        _, a, b, d = changes[0]
        if d == 0:
            word = "oförändrat" if spec.storhet.endswith("et") else "oförändrad"  # antalet / andelen
            return f"{fran} var {spec.storhet} {word}, {_text(b, spec.andel)}."
        verb = "ökade" if d > 0 else "minskade"
        return f"{fran} {verb} {spec.storhet} från {_text(a, spec.andel)} till {_text(b, spec.andel)} ({_delta(d, spec.andel)})."

    def most(sign: int, word: str) -> str:
        cands = [c for c in changes if c[3] * sign > 0]
        if not cands:
            return f"ingen {word}"
        best = max(c[3] * sign for c in cands)
        items = [f"{_series_name(spec, *k)} från {_text(a, spec.andel)} till {_text(b, spec.andel)}"
                 for k, a, b, d in cands if d * sign == best]
        return f"störst {word} för {_lista(items)} ({_delta(best * sign, spec.andel)})"

    if all(c[3] == 0 for c in changes):
        return f"{fran} var alla jämförbara värden oförändrade."
    return f"{fran}: {most(1, 'ökning')}; {most(-1, 'minskning')}."


# ---------------------------------------------------------------- the report's diagrams


def _frame(data: pd.DataFrame, kategori: str | None, varde: str, grupp: str | None = None,
           ar: str | None = None) -> pd.DataFrame:
    n = len(data)
    return pd.DataFrame({
        "kategori": data[kategori].astype(str) if kategori else [""] * n,
        "grupp": data[grupp].astype(str) if grupp else [""] * n,
        "ar": data[ar].astype(str) if ar else [""] * n,
        "varde": data[varde].tolist() if n else [],
    }, columns=COLUMNS)


def _per_ar_total(data: pd.DataFrame) -> pd.DataFrame:
    """Diagram 1: kvinnor and män stacked, described by their sum per year (hidden if a part is)."""
    rows = []
    for ar, g in data.groupby(data["ar"].astype(str), sort=True):
        vals = [fmt.to_decimal(v) for v in g["omfattade"]]
        rows.append({"kategori": "", "grupp": "", "ar": ar,
                     "varde": sum(vals) if all(v is not None for v in vals) else "<5"})
    return pd.DataFrame(rows, columns=COLUMNS)


# n -> (spec for the city / a jobbtorg, adapter from the diagram's data to the four columns)
def _specs(city: bool) -> dict[int, tuple[Spec, Callable[[pd.DataFrame], pd.DataFrame]]]:
    enhet = "jobbtorg" if city else "stadsdelsområde"
    vid = "vid" if city else "i"

    def nadda(d: pd.DataFrame) -> pd.DataFrame:
        return _frame(d, "stadsdel", "nadda", ar="ar")

    return {
        1: (Spec("Staplat stapeldiagram", "ungdomar som omfattades av KAA per verksamhetsår {ar}, "
                 "kvinnor och män staplade på varandra; värdena nedan gäller båda tillsammans",
                 flest="Flest {ar}", farst="färst {ar}"), _per_ar_total),
        2: (Spec("Liggande stapeldiagram", "nådda ungdomar per stadsdelsområde {ar}, del 1 av 2"), nadda),
        3: (Spec("Liggande stapeldiagram", "nådda ungdomar per stadsdelsområde {ar}, del 2 av 2"), nadda),
        4: (Spec("Stapeldiagram", f"andel nådda av sökta per {enhet} och kön {{ar}}", andel=True,
                 flest=f"Högst andel {vid} {{kategori}}", farst=f"lägst {vid} {{kategori}}", storhet="andelen"),
            lambda d: _frame(d, "enhet", "andel_nadda", grupp="kon")),
        5: (Spec("Liggande stapeldiagram", "sysselsättning när ungdomarna nåddes första gången, som andel av "
                 "de nådda med registrerad sysselsättning, {ar}", andel=True,
                 flest="Högst andel för {gemen}", farst="lägst för {gemen}", gemen_i_serie=True, storhet="andelen"),
            lambda d: _frame(d, "sysselsattning", "andel", ar="ar")),
        6: (Spec("Grupperat stapeldiagram", "avslutade från insats vid jobbtorgen efter avslutsorsak och kön {ar}",
                 flest="Flest med avslutsorsak {gemen}", farst="färst med avslutsorsak {gemen}", gemen_i_serie=True),
            lambda d: _frame(d, "orsak", "antal", grupp="kon", ar="ar")),
        7: (Spec("Stapeldiagram", "andel av de utskrivna från Aim efter avslutsorsak {ar}", andel=True,
                 flest="Högst andel med avslutsorsak {gemen}", farst="lägst med avslutsorsak {gemen}",
                 gemen_i_serie=True, storhet="andelen"),
            lambda d: _frame(d, "orsak", "andel", ar="ar")),
        8: (Spec("Stapeldiagram", "antal svar på frågan ”Har du fått hjälpen du behövde från oss?” på en skala "
                 "från 1 (inte alls) till 5 (helt och hållet), hela staden {ar}",
                 flest="Flest svarade {kategori}", farst="färst svarade {kategori}"),
            lambda d: _frame(d, "svar", "antal")),
    }


def diagram(n: int, data: pd.DataFrame, year: int, city: bool) -> str:
    """The alt text of Diagram n from its data (diagram_<n>.csv or the frame diagrams.py draws)."""
    spec, adapt = _specs(city)[n]
    return beskriv(spec, adapt(data), year)


# ---------------------------------------------------------------- Figur 1


def organisation(org: dict) -> str:
    """Figur 1 in words, from params/organisation.yml: who sits under whom (a line to a box
    lower down) and which boxes are linked side by side (a line between boxes at one height)."""
    boxes = {b["id"]: b for b in org.get("rutor", [])}
    name = {i: " ".join(str(b["text"]).split()) for i, b in boxes.items()}
    under: dict[str, list[str]] = {}
    beside: list[tuple[str, str]] = []
    for a, b in org.get("kopplingar", []):
        ya, yb = boxes[a]["pos"][1], boxes[b]["pos"][1]
        if ya == yb:
            beside.append((a, b))
        else:
            top, low = (a, b) if ya > yb else (b, a)
            under.setdefault(top, []).append(low)
    def q(i: str) -> str:  # a name with its own commas or colon is quoted, so the list stays clear
        return f"”{name[i]}”" if any(c in name[i] for c in ",:;") else name[i]

    parts = [f"Organisationsschema med {len(boxes)} rutor."]
    for top, lows in under.items():
        parts.append(f"Under {q(top)} finns {_lista([q(x) for x in lows])}.")
    for a, b in beside:
        parts.append(f"{q(a)} och {q(b)} är förbundna med varandra.")
    return " ".join(parts)


# ---------------------------------------------------------------- a scope's build output


_LAST: dict = {}  # the last for_scope: its files' contents and the texts


def for_scope(scope_dir: Path, year: int, city: bool, params_dir: Path) -> dict[str, str]:
    """The alt text of every diagram of the registry and figur_1 of one scope, from the build's
    diagram_<n>.csv and params/organisation.yml. A diagram without its CSV gets a text
    that says so (logged), so the document still builds. The PDF and the HTML edition of
    a scope ask in turn: the same files' texts are worked out once."""
    from ..params import read_yaml
    from . import registry
    from .tables import read_table

    sources = {e.nummer: Path(scope_dir) / f"diagram_{e.nummer}.csv" for e in registry.of_kind("diagram")}
    org = params_dir / "organisation.yml"
    key = (year, city, *(p.read_bytes() if p.is_file() else None for p in [*sources.values(), org]))
    if _LAST.get("key") == key:
        return dict(_LAST["texts"])
    out = {}
    for n, src in sources.items():
        if src.is_file():
            out[f"diagram_{n}"] = diagram(n, read_table(src), year, city)
        else:
            log.warning("%s saknas; diagrammets alternativtext kan inte räknas fram", src.name)
            out[f"diagram_{n}"] = f"Diagram {n}. Underlaget till diagrammet ({src.name}) saknas."
    out["figur_1"] = organisation(read_yaml(org)) if org.is_file() else "Organisationsschema."
    _LAST.update(key=key, texts=dict(out))
    return out
