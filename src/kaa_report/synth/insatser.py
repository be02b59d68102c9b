"""The insatser side: cases per verksamhet, built from the year targets as flows.

A case (one insatser row) starts in year Y and ends in Y ("NA") or in Y+1 ("NC"; open in
the last year). So for every verksamhet, year and cell (jobbtorg × kön, or kön alone):

    carried C(Y)  = the NC cases of Y-1 (all of them end in Y, so C <= avslutade)
    inskrivna     = C + nyinskrivna - R     (R = carried persons who re-enrol in Y)
    avslutade     = C + NA
    open at end   = NC = inskrivna - avslutade + R

Given inskrivna and avslutade (and nyinskrivna, when published) the cells follow; the
persons are drawn from the register population of the right jobbtorg and kön.
"""
from __future__ import annotations

import numpy as np

from ..params import STAD, Mapping
from .alloc import InfeasibleTargets, apportion, round_half_up, split_kon
from .dates import age_on, day, yend, ystart
from .population import NADD, NONE, Population
from .rand import Rand
from .targets import KON, InsatsYear, Targets, Verksamhet, by_kon


def _total(v) -> int:
    return int(sum(v.values())) if isinstance(v, dict) else int(v)


def _kon_total(v, share: float) -> int:
    return by_kon(v, share)["K"]


def _scope_counts(ty: InsatsYear, scopes: list[str], weights: list[float], C_s: list[int],
                  v: Verksamhet, y: int) -> dict[str, list[int]]:
    """inskrivna, avslutade and each reason per scope."""
    what = f"{v.namn} {y}"
    if ty.per_jobbtorg:
        pj = ty.per_jobbtorg
        if set(pj) != set(scopes):
            raise InfeasibleTargets(f"{what}: jobbtorg {sorted(pj)} stämmer inte med {scopes}")
        out = {"I": [int(pj[s]["inskrivna"]) for s in scopes], "A": [int(pj[s]["avslutade"]) for s in scopes]}
        for r in pj[scopes[0]].get("orsak", {}):
            out[r] = [int(pj[s]["orsak"][r]) for s in scopes]
        return out
    if len(scopes) == 1:
        out = {"I": [_total(ty.inskrivna)], "A": [_total(ty.avslutade)]}
        out.update({r: [_total(n)] for r, n in ty.orsak.items()})
        return out
    out = {"I": apportion(_total(ty.inskrivna), weights, lo=C_s, what=f"{what} inskrivna")}
    out["A"] = apportion(_total(ty.avslutade), weights, lo=C_s, hi=out["I"], what=f"{what} avslutade")
    used = [0] * len(scopes)
    for r, n in ty.orsak.items():
        out[r] = apportion(_total(n), out["A"], hi=[a - u for a, u in zip(out["A"], used)], what=f"{what} {r}")
        used = [u + x for u, x in zip(used, out[r])]
    return out


def _orsak_totals(ty: InsatsYear) -> dict:
    if ty.per_jobbtorg:
        first = next(iter(ty.per_jobbtorg.values()))
        return {r: sum(int(d["orsak"][r]) for d in ty.per_jobbtorg.values()) for r in first.get("orsak", {})}
    return dict(ty.orsak)


def plan_cells(v: Verksamhet, y: int, scopes: list[str], weights: list[float],
               C: dict[tuple[str, str], int]) -> dict[tuple[str, str], dict[str, int]]:
    """The counts of one year per cell (scope, kön): C, I, N, R, A and each targeted reason."""
    ty = v.years[y]
    what = f"{v.namn} {y}"
    C_s = [C[(s, "K")] + C[(s, "M")] for s in scopes]
    C_tot = sum(C_s)
    sc = _scope_counts(ty, scopes, weights, C_s, v, y)
    I_tot = sum(sc["I"])
    if ty.nyinskrivna is not None:
        R_tot = _total(ty.nyinskrivna) - I_tot + C_tot
        if not 0 <= R_tot <= C_tot:
            raise InfeasibleTargets(
                f"{what}: nyinskrivna {_total(ty.nyinskrivna)} kräver {R_tot} återinskrivna av {C_tot} överförda")
    else:
        R_tot = round_half_up(v.ateninskrivna_andel * C_tot)
    R_s = apportion(R_tot, C_s, hi=C_s, what=f"{what} återinskrivna") if scopes else []
    CK = [C[(s, "K")] for s in scopes]
    CM = [C[(s, "M")] for s in scopes]
    inf = [10 ** 9] * len(scopes)
    zero = [0] * len(scopes)
    # re-enrolled per kön, in proportion to the carried
    lo_rk = [max(0, r - cm) for r, cm in zip(R_s, CM)]
    hi_rk = [min(r, ck) for r, ck in zip(R_s, CK)]
    rk_tot = min(max(round_half_up(R_tot * sum(CK) / C_tot) if C_tot else 0, sum(lo_rk)), sum(hi_rk))
    RK = split_kon(R_s, rk_tot, zero, CK, zero, CM, what=f"{what} återinskrivna")
    RM = [r - k for r, k in zip(R_s, RK)]
    # inskrivna per kön
    if isinstance(ty.nyinskrivna, dict):
        if len(scopes) != 1:
            raise InfeasibleTargets(f"{what}: nyinskrivna per kön går bara utan jobbtorg")
        IK = [ty.nyinskrivna["K"] + CK[0] - RK[0]]
    else:
        ik_tot = _kon_total(ty.inskrivna, v.share_k("inskrivna")) if ty.inskrivna is not None and not ty.per_jobbtorg \
            else round_half_up(I_tot * v.share_k("inskrivna"))
        IK = split_kon(sc["I"], ik_tot, CK, inf, CM, inf, what=f"{what} inskrivna")
    IM = [i - k for i, k in zip(sc["I"], IK)]
    # avslutade per kön: C <= A <= I
    A_tot = sum(sc["A"])
    ak_tot = _kon_total(ty.avslutade, v.share_k("avslutade")) if isinstance(ty.avslutade, dict) \
        else round_half_up(A_tot * v.share_k("avslutade"))
    AK = split_kon(sc["A"], ak_tot, CK, IK, CM, IM, what=f"{what} avslutade")
    AM = [a - k for a, k in zip(sc["A"], AK)]
    cells = {}
    for i, s in enumerate(scopes):
        for k, Cc, Ic, Rc, Ac in (("K", CK[i], IK[i], RK[i], AK[i]), ("M", CM[i], IM[i], RM[i], AM[i])):
            cells[(s, k)] = {"C": Cc, "I": Ic, "R": Rc, "A": Ac, "N": Ic - Cc + Rc}
    used_k, used_m = [0] * len(scopes), [0] * len(scopes)
    for r, tot in _orsak_totals(ty).items():
        rs = sc[r]
        rk_tot = _kon_total(tot, v.share_k(r)) if isinstance(tot, dict) else round_half_up(sum(rs) * v.share_k(r))
        hk = [a - u for a, u in zip(AK, used_k)]
        hm = [a - u for a, u in zip(AM, used_m)]
        lo_k = [max(0, n - h) for n, h in zip(rs, hm)]
        hi_k = [min(n, h) for n, h in zip(rs, hk)]
        rk_tot = min(max(rk_tot, sum(lo_k)), sum(hi_k)) if isinstance(tot, int) else rk_tot
        RKr = split_kon(rs, rk_tot, zero, hk, zero, hm, what=f"{what} {r}")
        for i, s in enumerate(scopes):
            cells[(s, "K")][r] = RKr[i]
            cells[(s, "M")][r] = rs[i] - RKr[i]
        used_k = [u + x for u, x in zip(used_k, RKr)]
        used_m = [u + (n - x) for u, n, x in zip(used_m, rs, RKr)]
    return cells


def _other_reason(t: Targets, rng: Rand, p, end: int) -> str:
    """An avslutsorsak that no target fixes: `fyllt_20` exactly for those who were 20 when
    the case ended, otherwise drawn from `ovriga_orsaker`."""
    if p.birth is not None and age_on(p.birth, end) >= 20:
        return "fyllt_20"
    o = {k: float(v) for k, v in t.raw["ovriga_orsaker"].items() if k != "fyllt_20"}
    return rng.weighted(list(o), list(o.values()))


def build_insatser(t: Targets, mapping: Mapping, pop: Population, rng: Rand) -> list[tuple]:
    """insatser rows (person, verksamhet, inskriven, avslutad|None, avslutsorsak|'')."""
    rows: list[tuple] = []
    slug_of = mapping.slug_of_stadsdel()
    for v in t.verksamheter.values():
        rows.extend(_verksamhet_rows(t, v, mapping, slug_of, pop, rng))
    return rows


def _verksamhet_rows(t: Targets, v: Verksamhet, mapping: Mapping, slug_of: dict, pop: Population,
                     rng: Rand) -> list[tuple]:
    years = sorted(v.years)
    last = t.years[-1]
    if years != list(range(years[0], years[-1] + 1)) or years[-1] != last:
        raise InfeasibleTargets(f"{v.namn}: åren måste följa på varandra och sluta {last}")
    if v.namn == "jobbtorg":
        scopes = [u.slug for u in mapping.units]
        wt = v.jobbtorg_vikter or {}
        weights = [float(wt.get(s, 1.0)) for s in scopes]
    else:
        scopes, weights = [STAD], [1.0]
    start = day(v.start) if v.start else None
    saknar = mapping.saknar.slug

    busy: dict[int, set[int]] = {}
    rows: list[tuple] = []
    carried: dict[tuple[str, str], list[tuple]] = {(s, k): [] for s in scopes for k in KON}

    by_cell: dict[int, dict[tuple[str, str], list]] = {}

    def pool(y: int, cell) -> list:
        if y not in by_cell:
            by_cell[y] = {}
            for (sd, k), lst in pop.alive[y].items():
                by_cell[y].setdefault((STAD if len(scopes) == 1 else slug_of.get(sd, saknar), k), []).extend(lst)
        return [p for p in by_cell[y].get(cell, []) if y not in busy.get(p.idx, ())]

    def draw(y: int, cell, n: int, prefer_next: bool, prefer_prev: bool = False) -> list:
        if n <= 0:
            return []
        if v.ej_i_registret:
            out = []
            for _ in range(n):
                p = pop.new_person(cell[1], "", in_register=False)
                mid = ystart(y) + 180
                p.birth = mid - rng.day(15 * 365 + 10, 18 * 365 + 300)
                out.append(p)
            return out
        ps = pool(y, cell)
        if len(ps) < n:
            raise InfeasibleTargets(f"{v.namn} {y} {cell}: {n} personer behövs, {len(ps)} finns")
        w = np.array([(4.0 if p.status.get(y) == NADD else 2.0 if p.status.get(y, NONE) != NONE else 1.0)
                      * (2.0 if prefer_next and (y + 1) in p.years else 1.0)
                      * (8.0 if prefer_prev and (y - 1) in p.years else 1.0) for p in ps])
        pick = rng.sample(len(ps), n, p=w)
        return [ps[i] for i in pick]

    def lo_day(p, y: int) -> int:
        lo = ystart(y)
        if p.fran is not None and ystart(y) <= p.fran <= yend(y):
            lo = p.fran
        if y in p.contact:  # enrolled after being reached
            lo = max(lo, p.contact[y])
        if start is not None:
            lo = max(lo, start)
        return lo

    y0 = years[0]
    # warm-up: cases carried into the first year
    ty0 = v.years[y0]
    i0 = sum(int(d["inskrivna"]) for d in ty0.per_jobbtorg.values()) if ty0.per_jobbtorg else _total(ty0.inskrivna)
    c_tot = round_half_up(v.forsta_arets_overforda * i0)
    cells0 = [(s, k) for s in scopes for k in KON]
    w0 = [wt * (v.share_k("inskrivna") if k == "K" else 1 - v.share_k("inskrivna"))
          for wt in (([int(ty0.per_jobbtorg[s]["inskrivna"]) for s in scopes] if ty0.per_jobbtorg else weights))
          for k in KON]
    for cell, n in zip(cells0, apportion(c_tot, w0, what=f"{v.namn} överförda {y0}")):
        for p in draw(y0, cell, n, prefer_next=False, prefer_prev=True):
            lo = ystart(y0 - 1) + 90
            ins = rng.day(max(lo, p.fran) if p.fran is not None and p.fran < yend(y0 - 1) else lo, yend(y0 - 1))
            carried[cell].append((p, ins))
            busy.setdefault(p.idx, set()).update({y0 - 1, y0})

    for y in years:
        C = {c: len(carried[c]) for c in carried}
        plan = plan_cells(v, y, scopes, weights, C)
        nxt: dict[tuple[str, str], list[tuple]] = {c: [] for c in carried}
        for cell in carried:
            pc = plan[cell]
            car = carried[cell]
            order = rng.permutation(len(car))
            car = [car[i] for i in order]
            n_na = pc["A"] - pc["C"]
            n_nc_fresh = pc["I"] - pc["A"]
            fresh = draw(y, cell, n_na + n_nc_fresh, prefer_next=True)
            # those still in the register next year keep their case open
            fresh.sort(key=lambda p: 0 if (y + 1) in p.years else 1)
            nc_fresh, na_fresh = fresh[:n_nc_fresh], fresh[n_nc_fresh:]
            ended: list[tuple] = []  # (person, inskriven, avslutad, is_re_enrolled)
            for j, (p, ins) in enumerate(car):
                if j < pc["R"]:
                    end = rng.day(max(ystart(y), ins + 20), ystart(y) + 150)
                    ended.append((p, ins, end, True))
                    new_ins = min(end + rng.day(0, 30), yend(y))
                    nxt[cell].append((p, new_ins))
                    busy[p.idx].add(y + 1)
                else:
                    end = rng.day(max(ystart(y), ins + 30), min(yend(y), ins + 365))
                    ended.append((p, ins, end, False))
            for p in na_fresh:
                lo = lo_day(p, y)
                ins = rng.day(lo, max(lo, yend(y) - 20))
                end = rng.day(min(ins + 14, yend(y)), min(ins + 240, yend(y)))
                ended.append((p, ins, end, False))
                busy.setdefault(p.idx, set()).add(y)
            for p in nc_fresh:
                lo = max(lo_day(p, y), ystart(y) + 60)
                ins = rng.day(min(lo, yend(y)), yend(y))
                nxt[cell].append((p, ins))
                busy.setdefault(p.idx, set()).update({y, y + 1})
            # reasons: targeted ones first to those not re-enrolled
            order = rng.permutation(len(ended))
            ranked = [ended[i] for i in order if not ended[i][3]] + [ended[i] for i in order if ended[i][3]]
            reasons: list[str] = []
            for r in _orsak_totals(v.years[y]):
                reasons += [r] * pc[r]
            for i, (p, ins, end, _) in enumerate(ranked):
                r = reasons[i] if i < len(reasons) else _other_reason(t, rng, p, end)
                rows.append((p, v.namn, ins, end, r))
        if y == last:
            for lst in nxt.values():
                for p, ins in lst:
                    rows.append((p, v.namn, ins, None, ""))
        carried = nxt
    return rows
