"""The pitfalls a legal team checks first: the word is there, but is it the supplier's duty?

Each contract below is written for its test. The rules alone (`--no-model`) must get every one
right, since they implement the decision rules of ../shared/status-guidelines.md directly.
"""

from __future__ import annotations

import pytest

from analyzer import analyze

HEAD = ('EQUIPMENT PURCHASE AGREEMENT\nThis Agreement is made between Brenner Anlagenbau GmbH, Kassel, Germany '
        '("Seller") and Kootenay Timber Products Ltd., Cranbrook, British Columbia, Canada ("Buyer").\n')


def statuses(body: str, use_model: bool = False) -> dict:
    report = analyze((HEAD + body).encode("utf-8"), names=["contract.txt"], use_model=use_model)
    return {s: r for s, r in report.services.items()}


def status(body: str, service: str) -> str:
    return statuses(body)[service].status


def test_duty_on_the_customer():
    body = "4.1 Buyer shall, at its own cost, install the Equipment on the foundations it has prepared.\n"
    assert status(body, "installation") == "customer"


def test_negation_of_a_supplier_duty():
    body = "6.2 Seller shall have no obligation to repair damage caused by Buyer's misuse or by accident.\n"
    assert status(body, "repair") == "excluded"


def test_exclusion_list_under_a_lead_in():
    body = ("3.4 The Price does not include:\n(a) installation of the Equipment;\n"
            "(b) training of Buyer's operators;\n(c) freight beyond the port of Vancouver.\n")
    result = statuses(body)
    assert result["installation"].status == "excluded"
    assert result["training"].status == "excluded"


def test_repair_or_replace_at_sellers_option_is_owed():
    body = ("9.1 During the Warranty Period, Seller shall, at its option, repair or replace any part that "
            "proves defective in material or workmanship.\n")
    result = statuses(body)["repair"]
    assert result.status == "obligated"
    assert result.evidence[0].clause == "9.1"


def test_discretionary_service_is_optional():
    body = "7.3 Seller may, at its sole discretion, provide preventive maintenance after the Warranty Period.\n"
    assert status(body, "maintenance") == "optional"


def test_separately_quoted_service_is_optional():
    body = "7.4 Software upgrades are not part of this sale and will be quoted separately upon Buyer's request.\n"
    assert status(body, "upgrade") == "optional"


def test_definition_and_heading_carry_no_duty():
    body = ('1. DEFINITIONS\n1.1 "Installation Services" means the services described in Schedule B.\n'
            "8. TRAINING\n8.1 The parties shall meet quarterly to review the delivery schedule.\n")
    result = statuses(body)
    assert result["installation"].status == "absent"
    assert result["training"].status == "absent"


def test_duty_in_an_incorporated_schedule():
    body = ("2.1 Schedule B forms part of this Agreement.\n"
            "SCHEDULE B - SERVICES\n1. Seller shall perform quarterly preventive maintenance of the Equipment "
            "during the first two years of operation.\n")
    result = statuses(body)["maintenance"]
    assert result.status == "obligated"
    assert result.evidence[0].clause == "1"


def test_duty_in_a_table_row():
    body = ("SCHEDULE C - SCOPE OF SERVICES\n| Service | Performed by | Price |\n"
            "| Commissioning and start-up | Seller | included |\n| Foundations | Buyer | not included |\n")
    assert status(body, "installation") == "obligated"


def test_may_but_not_obliged_is_optional_not_excluded():
    body = ("9.2 Seller may, but shall not be obliged to, make software updates for the Equipment available "
            "to Buyer during the Warranty Period.\n")
    assert status(body, "upgrade") == "optional"


def test_an_offer_without_a_duty_is_optional():
    body = ("11.1 After the Warranty Period, Seller offers annual preventive maintenance contracts for the "
            "Equipment at its then-current prices.\n")
    assert status(body, "maintenance") == "optional"


def test_scope_matrix_reads_the_column_of_each_tick():
    """A tick under "By Purchaser" puts the row on the buyer; one under "On quotation" makes it
    optional; a "No." column of row numbers negates nothing."""
    body = ("SCHEDULE C - DIVISION OF WORK\n| No. | Work item | By Seller | By Purchaser |\n"
            "| 1 | Offloading and installation of the Press on its foundation | - | X |\n"
            "| 2 | Operator training for Buyer's shift crews | X | - |\n")
    assert status(body, "installation") == "customer"
    assert status(body, "training") == "obligated"
    body = ("SCHEDULE C - SERVICES\n| Service | Included | On quotation |\n"
            "| Software upgrades of the control system | | X |\n")
    assert status(body, "upgrade") == "optional"


def test_passive_voice_takes_its_agent():
    body = "5.1 The Equipment shall be installed by Seller within thirty (30) days after delivery.\n"
    assert status(body, "installation") == "obligated"


def test_third_party_installer_engaged_by_the_buyer():
    body = "5.1 Installation shall be carried out by a licensed contractor engaged by the Buyer.\n"
    assert status(body, "installation") == "customer"


def test_enumeration_under_one_duty():
    body = "5.1 Seller shall deliver, install, commission and test the debarking line at Buyer's mill.\n"
    result = statuses(body)["installation"]
    assert result.status == "obligated"
    assert result.evidence and all(e.status == "obligated" for e in result.evidence)


def test_duty_that_starts_after_a_condition_is_still_owed():
    body = ("10.2 Following Acceptance, Seller shall maintain the control system for twenty-four (24) months "
            "at the fees in Schedule D.\n")
    assert status(body, "maintenance") == "obligated"


def test_specific_clause_beats_boilerplate_in_a_long_contract():
    filler = [
        "Each party shall keep the terms of this Agreement confidential.",
        "Notices shall be given in writing to the addresses stated above.",
        "Title to the Equipment passes to Buyer on payment of the Price in full.",
        "Buyer shall pay each invoice within thirty (30) days of its date.",
        "Neither party is liable for delays caused by events beyond its reasonable control.",
        "This Agreement is governed by the laws of the Province of British Columbia.",
        "Any amendment to this Agreement must be in writing and signed by both parties.",
        "Seller shall deliver the Equipment CIP Cranbrook, Incoterms 2020.",
    ]
    clauses = [f"{n}.1 {filler[n % len(filler)]}" for n in range(2, 60)]
    body = ("1.1 Except as expressly provided in a Schedule, Seller is not responsible for installation of "
            "the Equipment.\n" + "\n".join(clauses) + "\nSCHEDULE A - SITE SERVICES\n"
            "1. Seller shall supervise the installation of the Equipment by Buyer's millwrights.\n")
    result = statuses(body)["installation"]
    assert result.status == "obligated"
    assert result.evidence[0].clause == "1"
    assert any(e.status == "excluded" and e.clause == "1.1" for e in result.evidence)


def test_paid_on_request_is_still_owed():
    body = ("8.2 Seller shall provide additional operator training at its then-current daily rates upon "
            "Buyer's written request.\n")
    assert status(body, "training") == "obligated"


def test_denied_to_supplier_and_put_on_customer_is_customer():
    body = ("4.2 Seller shall have no obligation to install the Equipment. Buyer shall install the Equipment "
            "at its own cost.\n")
    assert status(body, "installation") == "customer"


def test_general_as_is_disclaimer_is_not_an_exclusion_of_repair():
    body = "11.1 THE SOFTWARE IS PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND.\n"
    assert status(body, "repair") == "absent"


@pytest.mark.parametrize("clause, service", [
    ("12.1 Buyer shall maintain insurance on the Equipment until the Price is paid.", "maintenance"),
    ("12.2 Seller shall update the price list annually.", "upgrade"),
    ("12.3 Seller shall train its own staff in safe working practices.", "training"),
])
def test_distractors_are_not_services(clause, service):
    assert status(clause + "\n", service) in ("absent",)
