"""The tables that are not about register persons: enkat and befolkning."""
from __future__ import annotations

from ..contract.schema import FRAGA_FATT_HJALP
from .alloc import InfeasibleTargets, round_half_up
from .population import Population
from .rand import Rand
from .targets import KON, Targets


def enkat_rows(t: Targets, rng: Rand) -> list[dict]:
    """Survey answers per year: the targeted distribution of answers to `fatt_hjalp`
    (respondents beyond it left that question empty), other questions answered at random."""
    e = t.raw["enkat"]
    fragor = list(e["fragor"])
    rows = []
    for y, spec in sorted(e["ar"].items()):
        n = int(spec["svarande"])
        dist = {int(k): int(v) for k, v in spec["fatt_hjalp"].items()}
        answers = [a for a, c in sorted(dist.items()) for _ in range(c)]
        if len(answers) > n:
            raise InfeasibleTargets(f"enkat {y}: fler svar ({len(answers)}) än svarande ({n})")
        answers += [None] * (n - len(answers))
        answers = [answers[i] for i in rng.permutation(n)]
        for i, a in enumerate(answers):
            sid = f"E{y}-{i + 1:03d}"
            for f in fragor:
                if f == FRAGA_FATT_HJALP:
                    svar = a
                else:
                    base = a if a is not None else 4
                    svar = int(min(5, max(1, base + rng.weighted([-1, 0, 1], [1, 2, 1])))) if rng.random() > 0.05 else None
                rows.append({"ar": str(y), "svar_id": sid, "fraga": f, "svar": "" if svar is None else str(svar)})
    return rows


def befolkning_rows(t: Targets, pop: Population) -> list[dict]:
    """Residents 16-19 per year, stadsdel and kön: omfattade divided by the targeted share
    (params/synth.yml `andel_av_befolkningen`), so KAA covers ~18-19 % city-wide."""
    rates = t.register["andel_av_befolkningen"]
    rows = []
    for y in t.years:
        for sd in pop.stadsdelar:
            if sd == "":
                continue
            rate = float(rates.get(sd, rates["standard"]))
            for k in KON:
                n = len(pop.alive[y][(sd, k)])
                rows.append({"ar": str(y), "stadsdel": sd, "kon": k, "antal_16_19": str(round_half_up(n / rate))})
    return rows
