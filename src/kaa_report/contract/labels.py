"""Swedish display labels for the codes of the contract."""
from __future__ import annotations

KON = {"K": "Kvinnor", "M": "Män"}

SYSSELSATTNING = {
    "studier": "Studier som inte syns i BER",
    "arbete": "Arbete",
    "utomlands": "Utomlands",
    "arbetsmarknadsinsats": "Arbetsmarknadsinsats",
    "annan_aktor": "Stöd från annan aktör",
    "foraldraledig": "Föräldraledig",
    "sjuk": "Sjukskriven",
    "ovrigt": "Övrigt",
    "ingen": "Ingen sysselsättning",
}

VERKSAMHET = {
    "jobbtorg": "Jobbtorg (KAA)",
    "aim": "Aim",
    "studiesteg1": "Studiesteg1",
    "ungvux": "Ungvux",
    "skolslussen": "Skolslussen",
}

AVSLUT = {"studier": "Studier", "arbete": "Arbete", "ovrigt": "Övrigt"}
