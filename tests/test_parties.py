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


def _sides(text: str) -> tuple[dict[str, str], dict[str, str]]:
    parties, aliases = find_parties(text)
    return {p.name: p.side for p in parties}, aliases


def test_a_party_defined_by_its_short_name_gets_its_side_from_what_it_does():
    text = ("DISTRIBUTION AGREEMENT\nThis Agreement is made between Halden Optics ASA, a Norwegian company "
            "(\"Halden\"), and Prairie Vision Supply Inc., an Alberta corporation (\"Prairie\").\n\n"
            "1. Appointment\nHalden hereby appoints Prairie as its distributor. Prairie shall purchase the Products "
            "from Halden at the prices in Schedule A. Halden shall install each system at the end user's site.\n")
    sides, aliases = _sides(text)
    assert sides == {"Halden Optics ASA": "supplier", "Prairie Vision Supply Inc.": "customer"}
    assert aliases["Halden"] == "supplier" and aliases["Prairie"] == "customer"


def test_the_other_party_of_a_two_party_deal_takes_the_other_side():
    text = ("SERVICE AGREEMENT\nBetween Kestrel Milling Ltd. (the \"Customer\") and Vantaa Rotor Oy, a Finnish "
            "company (\"Vantaa\").\nVantaa will inspect the rotors every six months.\n")
    sides, aliases = _sides(text)
    assert sides == {"Kestrel Milling Ltd.": "customer", "Vantaa Rotor Oy": "supplier"}
    assert aliases["Vantaa"] == "supplier"


def test_a_short_name_of_a_party_with_a_role_is_that_party():
    text = ("LICENCE AGREEMENT\nBetween Orbis Control Systems GmbH (the \"Licensor\") and Laurier Plastics Inc. "
            "(the \"Licensee\" or \"Laurier\").\nLaurier Plastics Inc. (\"Laurier\") shall pay the fees.\n")
    sides, aliases = _sides(text)
    assert sides == {"Orbis Control Systems GmbH": "supplier", "Laurier Plastics Inc.": "customer"}
    assert aliases.get("Laurier") == "customer"


def test_a_defined_term_that_is_no_company_is_no_party():
    text = ("SUPPLY AGREEMENT\nBetween Talvik Hydraulics Oy (the \"Seller\") and Moosehorn Sawmill Ltd. (the \"Buyer\")"
            " for the Talvik Hydraulics press line (the \"Press Line\").\n")
    sides, aliases = _sides(text)
    assert set(sides) == {"Talvik Hydraulics Oy", "Moosehorn Sawmill Ltd."} and "Press Line" not in aliases
