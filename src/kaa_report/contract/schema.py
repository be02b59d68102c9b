"""The tables of the register export (data-contract.md, version 1.3)."""
from __future__ import annotations

# The column each frame gets: the 1-based data row of its file (the header not counted).
ROW = "_rad"

# table -> column -> kind: "str", "date", "int", "bool"
COLUMNS: dict[str, dict[str, str]] = {
    "personer": {"person_id": "str", "kon": "str", "fodelsedatum": "date"},
    "registerperioder": {
        "person_id": "str", "fran": "date", "till": "date", "stadsdel": "str", "uppsok_fran": "date",
    },
    "kontaktforsok": {
        "person_id": "str", "datum": "date", "kanal": "str", "initiativ": "str", "besvarat": "bool",
    },
    "sysselsattning": {"person_id": "str", "datum": "date", "sysselsattning": "str"},
    "insatser": {
        "person_id": "str", "verksamhet": "str", "inskriven": "date", "avslutad": "date",
        "avslutsorsak": "str",
    },
    "enkat": {"ar": "int", "svar_id": "str", "fraga": "str", "svar": "int"},
    "befolkning": {"ar": "int", "stadsdel": "str", "kon": "str", "antal_16_19": "int"},
}
TABLES = tuple(COLUMNS)

KON = ("K", "M")
KANALER = ("brev", "telefon", "sms", "mejl", "hembesok", "knackakort", "dropin", "samverkan")
INITIATIV = ("kaa", "ungdom")
SYSSELSATTNINGAR = (
    "studier", "arbete", "utomlands", "arbetsmarknadsinsats", "annan_aktor",
    "foraldraledig", "sjuk", "ovrigt", "ingen",
)
VERKSAMHETER = ("jobbtorg", "aim", "studiesteg1", "ungvux", "skolslussen", "skolavhopp")
AVSLUTSORSAKER = ("studier", "arbete", "fyllt_20", "flyttat", "annan_aktor", "ej_aktuell", "ovrigt")
AVSLUTSORSAK_SKOLAVHOPP = "kvar_i_studier"
FRAGA_FATT_HJALP = "fatt_hjalp"

# Which columns may be empty, and what empty means (everything else is required).
NULLABLE = {
    ("registerperioder", "till"), ("registerperioder", "stadsdel"),
    ("registerperioder", "uppsok_fran"), ("insatser", "avslutad"),
    ("insatser", "avslutsorsak"), ("enkat", "svar"),
}
