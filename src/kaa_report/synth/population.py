"""The register side of the synthetic export: persons, register periods, outreach.

Each person has a life of one or more consecutive operating years and one register
period covering exactly those years, so they are `omfattade` in each of them and in no
other. Per year and cell (stadsdel, kön) the generator makes exactly the targeted number
of persons alive, sought (`sokta`) and reached (`nadda`); contact attempts are dated
inside the year and inside the person's under-uppsök interval, so the contract's rules
count each person where intended.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..params import Mapping
from .alloc import InfeasibleTargets, apportion, round_half_up
from .dates import birth_day, yend, ystart
from .rand import Rand
from .targets import KON, Targets, per_year

NONE, EJ_NADD, NADD = 0, 1, 2


@dataclass(eq=False)
class Person:
    idx: int
    kon: str
    stadsdel: str  # "" = Saknar stadsdel
    years: list[int] = field(default_factory=list)
    in_register: bool = True
    fran: int | None = None
    till: int | None = None
    uppsok: int | None = None
    uppsok_year: int | None = None
    birth: int | None = None
    status: dict[int, int] = field(default_factory=dict)
    contact: dict[int, int] = field(default_factory=dict)  # year -> day of the answered contact


@dataclass
class Population:
    persons: list[Person]
    alive: dict[int, dict[tuple[str, str], list[Person]]]  # year -> (stadsdel, kon) -> persons
    stadsdelar: list[str]

    def new_person(self, kon: str, stadsdel: str, in_register: bool = True) -> Person:
        p = Person(idx=len(self.persons), kon=kon, stadsdel=stadsdel, in_register=in_register)
        self.persons.append(p)
        return p


def _weights(t: Targets, mapping: Mapping) -> dict[str, float]:
    w = {str(k): float(v) for k, v in t.register["stadsdel_vikter"].items()}
    missing = set(mapping.stadsdelar) - set(w)
    unknown = set(w) - set(mapping.stadsdelar) - {""}
    if missing or unknown:
        raise InfeasibleTargets(
            f"params/synth.yml stadsdel_vikter: saknas {sorted(missing)}, okända {sorted(unknown)}")
    return w


def _spread(total: dict[str, int], stadsdelar: list[str], weights: list[float],
            cap: dict[tuple[str, str], int] | None, what: str) -> dict[tuple[str, str], int]:
    """Split a count per kön over stadsdelar by weight, never above cap per cell."""
    out = {}
    for k in KON:
        hi = [cap[(s, k)] for s in stadsdelar] if cap else None
        for s, n in zip(stadsdelar, apportion(total[k], weights, hi=hi, what=f"{what} {k}")):
            out[(s, k)] = n
    return out


def plan_counts(t: Targets, mapping: Mapping) -> dict[str, dict[int, dict[tuple[str, str], int]]]:
    """omfattade, sokta and nadda per year and (stadsdel, kön), from the targets."""
    w = _weights(t, mapping)
    sds = list(w)
    slug = mapping.slug_of_stadsdel()
    reg, upp = t.register, t.uppsok
    out = {"omfattade": {}, "sokta": {}, "nadda": {}}
    for y in t.years:
        omf = _spread(t.count(reg, "omfattade", y), sds, [w[s] for s in sds], None, f"omfattade {y}")
        fs = per_year(upp.get("sokta_faktor") or {}, y, {}) or {}
        fn = per_year(upp.get("nadda_faktor") or {}, y, {}) or {}
        ws = [w[s] * float(fs.get(slug.get(s, mapping.saknar.slug), 1.0)) for s in sds]
        sok = _spread(t.count(upp, "sokta", y), sds, ws, omf, f"sokta {y}")
        wn = [w[s] * float(fn.get(slug.get(s, mapping.saknar.slug), 1.0)) for s in sds]
        nad = _spread(t.count(upp, "nadda", y), sds, wn, sok, f"nadda {y}")
        out["omfattade"][y], out["sokta"][y], out["nadda"][y] = omf, sok, nad
    return out


def build_population(t: Targets, mapping: Mapping, rng: Rand) -> Population:
    """Persons with their register lives, statuses per year and register dates."""
    counts = plan_counts(t, mapping)
    sds = list(_weights(t, mapping))
    cells = [(s, k) for s in sds for k in KON]
    reg = t.register
    cont = float(reg["fortsatter_andel"])
    max_years = int(reg["max_ar_i_registret"])
    pop = Population(persons=[], alive={}, stadsdelar=sds)

    # warm-up persons: those carried into the first year
    y0 = t.years[0]
    prev = {}
    for c in cells:
        n = round_half_up(cont * counts["omfattade"][y0][c])
        prev[c] = []
        for _ in range(n):
            p = pop.new_person(c[1], c[0])
            p.years.append(t.warmup)
            prev[c].append(p)
    pop.alive[t.warmup] = prev
    for y in t.years:
        cur = {}
        for c in cells:
            n = counts["omfattade"][y][c]
            elig = [p for p in prev[c] if len(p.years) < max_years]
            k = min(len(elig), n if y == y0 else round_half_up(cont * n))
            chosen = [elig[i] for i in sorted(rng.sample(len(elig), k))]
            for p in chosen:
                p.years.append(y)
            fresh = []
            for _ in range(n - k):
                p = pop.new_person(c[1], c[0])
                p.years.append(y)
                fresh.append(p)
            cur[c] = chosen + fresh
        pop.alive[y] = cur
        prev = cur

    _statuses(t, pop, counts, cells, rng)
    _register_dates(t, pop, rng)
    return pop


def _statuses(t: Targets, pop: Population, counts: dict, cells: list, rng: Rand) -> None:
    """Who is sought and who is reached, per year: exactly the planned counts per cell.

    Persons already under uppsök are sought first, so an uppsök interval rarely runs
    through a year without attempts."""
    for p in (p for ps in pop.alive[t.warmup].values() for p in ps):
        u = rng.random()
        p.status[t.warmup] = NADD if u < 0.4 else EJ_NADD if u < 0.7 else NONE
        if p.status[t.warmup] != NONE:
            p.uppsok_year = t.warmup
    for y in t.years:
        for c in cells:
            alive = pop.alive[y][c]
            order = rng.permutation(len(alive))
            prior = [alive[i] for i in order if alive[i].uppsok_year is not None]
            rest = [alive[i] for i in order if alive[i].uppsok_year is None]
            ranked = prior + rest
            n_sok, n_nad = counts["sokta"][y][c], counts["nadda"][y][c]
            sought = ranked[:n_sok]
            reached = set(rng.sample(len(sought), n_nad).tolist())
            for i, p in enumerate(sought):
                p.status[y] = NADD if i in reached else EJ_NADD
                if p.uppsok_year is None:
                    p.uppsok_year = y
            for p in ranked[n_sok:]:
                p.status[y] = NONE


def _register_dates(t: Targets, pop: Population, rng: Rand) -> None:
    reg = t.register
    last = t.years[-1]
    p_open = float(reg["oppen_andel_sista_aret"])
    mean, sd, dmin, dmax = (float(x) for x in reg["uppsok_dagar"])
    ages = {int(a): float(w) for a, w in reg["alder_vid_fran"].items()}
    for p in pop.persons:
        if not p.years:
            continue
        y1, y2, n = p.years[0], p.years[-1], len(p.years)
        if n == 1:
            p.fran = rng.day(ystart(y1), yend(y1) - 31)
            p.till = None if (y1 == last and rng.random() < p_open) else rng.day(p.fran + 30, yend(y1))
        else:
            p.fran = rng.day(ystart(y1), yend(y1) - 10)
            p.till = None if (y2 == last and rng.random() < p_open) else rng.day(ystart(y2) + 30, yend(y2))
        ok = [a for a in ages if a <= 20 - n] or [min(ages)]
        age = rng.weighted(ok, [ages[a] for a in ok])
        p.birth = birth_day(rng, p.fran, age)
        if p.uppsok_year is not None:
            uy = p.uppsok_year
            if uy == y1:
                d = p.fran + int(round(min(max(rng.gauss(mean, sd), dmin), dmax)))
            else:
                d = ystart(uy) + rng.day(0, 60)
            hi = yend(uy) if p.till is None else min(p.till, yend(uy))
            p.uppsok = min(d, hi)


def window(p: Person, y: int) -> tuple[int, int]:
    """The days of year y in which p is under uppsök (attempts go here)."""
    lo = max(p.uppsok if p.uppsok is not None else p.fran, ystart(y))
    hi = yend(y) if p.till is None else min(p.till, yend(y))
    return lo, hi


def contact_rows(t: Targets, pop: Population, rng: Rand) -> list[tuple]:
    """kontaktforsok rows (person, day, kanal, initiativ, besvarat): exactly the targeted number
    of `kaa` rows per year; each sought person gets at least one attempt, each reached
    person exactly one answered contact, the last of their attempts that year."""
    upp = t.uppsok
    p_ungdom = float(upp["ungdom_initiativ_andel"])
    rows: list[tuple] = []
    years = [t.warmup] + list(t.years)
    for y in years:
        sought = [p for p in pop.persons if p.status.get(y, NONE) != NONE]
        if y == t.warmup:
            total = 3 * len(sought)
        else:
            total = int(upp["kontaktforsok"][y])
        ungdom = rng.randoms(len(sought)) < p_ungdom
        base = np.array([1 if (p.status[y] == EJ_NADD or not u) else 0 for p, u in zip(sought, ungdom)])
        extra = total - int(base.sum())
        if extra < 0:
            raise InfeasibleTargets(f"kontaktforsok {y}: {total} räcker inte till {int(base.sum())} sökta")
        wts = np.array([1.6 if p.status[y] == EJ_NADD else 1.0 for p in sought])
        more = rng.multinomial(extra, wts) if len(sought) else np.array([], dtype=int)
        answered_idx, unanswered_idx, ungdom_idx = [], [], []
        for p, u, b, m in zip(sought, ungdom, base, more):
            lo, hi = window(p, y)
            reached = p.status[y] == NADD
            n_unans = int(m) + (1 if p.status[y] == EJ_NADD else 0)
            days = sorted(rng.day(lo, hi) for _ in range(n_unans + (1 if reached else 0)))
            for d in days[:n_unans]:
                unanswered_idx.append(len(rows))
                rows.append([p, d, None, "kaa", False])
            if reached:
                d = days[-1]
                p.contact[y] = d
                if u:
                    ungdom_idx.append(len(rows))
                    rows.append([p, d, None, "ungdom", True])
                else:
                    answered_idx.append(len(rows))
                    rows.append([p, d, None, "kaa", True])
        _channels(rows, answered_idx, per_year(upp["kanal_besvarade"], y), rng)
        _channels(rows, unanswered_idx, per_year(upp["kanal_obesvarade"], y), rng)
        ku = upp["kanal_ungdom"]
        names = list(ku)
        pw = [float(ku[k]) for k in names]
        for i in ungdom_idx:
            rows[i][2] = rng.weighted(names, pw)
    return [tuple(r) for r in rows]


def _channels(rows: list, idx: list[int], weights: dict, rng: Rand) -> None:
    """Give the rows `idx` channels: the count per channel is apportioned exactly by weight,
    the order is random."""
    names = list(weights)
    n = apportion(len(idx), [float(weights[k]) for k in names], what="kanal")
    labels = np.repeat(np.array(names, dtype=object), n)
    for i, lab in zip(idx, rng.permutation(labels)):
        rows[i][2] = lab


def sysselsattning_rows(t: Targets, pop: Population, rng: Rand) -> list[tuple]:
    """sysselsattning rows: per year, among the reached, a share gets a row dated on or just
    after their contact; of those exactly round(andel x n) get a category other than `ingen`."""
    s = t.uppsok["sysselsattning"]
    cats = list(s["kategorier"])
    cw = [float(s["kategorier"][c]) for c in cats]
    rows = []
    for y in [t.warmup] + list(t.years):
        reached = [p for p in pop.persons if p.status.get(y) == NADD]
        n_rec = round_half_up(float(s["med_uppgift"]) * len(reached))
        n_occ = round_half_up(float(per_year(s["sysselsatta_andel"], y)) * n_rec)
        pick = rng.sample(len(reached), n_rec)
        occ = set(rng.sample(n_rec, n_occ).tolist())
        for j, i in enumerate(pick):
            p = reached[i]
            d = min(p.contact[y] + rng.day(0, 14), yend(y), p.till if p.till is not None else yend(y))
            cat = rng.weighted(cats, cw) if j in occ else "ingen"
            rows.append((p, d, cat))
            if rng.random() < 0.12 and d + 30 < yend(y):  # a later change, not the first contact
                rows.append((p, rng.day(d + 30, yend(y)), rng.weighted(cats, cw)))
    return rows
