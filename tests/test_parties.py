"""Party names as a reviewer reads them in the report: the company, not its description or a heading."""

import pytest

from analyzer.nlp.parties import find_parties


def _names(text: str) -> dict[str, str]:
    parties, _ = find_parties(text)
    return {p.role: p.name for p in parties}


@pytest.mark.parametrize("preamble, expected", [
    (  # "and" inside the description must not cut the name off
        "SUPPLY AGREEMENT\nThis Agreement is made between Talvik Hydraulics Oy, a company organised and existing "
        "under the laws of Finland (the \"Seller\"), and Moosehorn Sawmill Ltd., a corporation organised and "
        "existing under the laws of Ontario (the \"Buyer\").\n",
        {"Seller": "Talvik Hydraulics Oy", "Buyer": "Moosehorn Sawmill Ltd."},
    ),
    (  # names in capitals, an address ending in a Calgary quadrant, a heading and date before the name
        "LEASE AGREEMENT No. LA-2025-114\n3 March 2025\nBETWEEN:\nORREFORS LYFTTEKNIK AB, having its office at "
        "Hamngatan 4, Gothenburg, Sweden (\"Lessor\")\nAND:\nFOOTHILLS RIGGING LTD., having its office at "
        "1200 61 Avenue SE, Calgary, Alberta, Canada (\"Lessee\")\n",
        {"Lessor": "ORREFORS LYFTTEKNIK AB", "Lessee": "FOOTHILLS RIGGING LTD."},
    ),
    (  # a party introduced in a recital by what it made, with "Co., Ltd." and a line break in its name
        "RECITALS\nA. The Lessor leases presses manufactured by Daeyang Heavy\nPress Co., Ltd. (the "
        "\"Manufacturer\") to customers in Canada.\n",
        {"Manufacturer": "Daeyang Heavy Press Co., Ltd."},
    ),
    (  # the parent company in a description is not the party
        "This Licence is made by Brightwater Systems Inc., a wholly owned subsidiary of Halvard Holdings Inc. "
        "(the \"Licensor\"), and Tidewater Foods Ltd. (the \"Licensee\").\n",
        {"Licensor": "Brightwater Systems Inc.", "Licensee": "Tidewater Foods Ltd."},
    ),
])
def test_the_party_name_is_the_company_not_its_description(preamble, expected):
    assert _names(preamble) == expected


def test_a_party_without_a_form_of_entity_keeps_its_written_name():
    text = "This Agreement is made between Jean Tremblay, of Rimouski, Québec (the \"Buyer\") and Ferro Macchine " \
           "S.r.l. (the \"Seller\").\n"
    assert _names(text) == {"Buyer": "Jean Tremblay", "Seller": "Ferro Macchine S.r.l."}
