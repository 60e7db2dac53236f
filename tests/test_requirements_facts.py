"""Deal facts read from contract wording: periods, pay, trades, production, partners, origin."""

from __future__ import annotations

from datetime import date

import pytest

from analyzer.requirements.facts import (
    CueError,
    Period,
    clause_ref,
    load_cues,
    parse_cues,
    parse_date,
    read_facts,
    split_sentences,
)
from tests.dealkit import buyer, make_analysis, party, seller
from tests.deals import LEASE, SALE, lessee, lessor


def facts_of(text: str, kind: str = "purchase", parties=None):
    return read_facts(make_analysis(("c.txt", text), kind=kind, parties=parties))


# -- periods --------------------------------------------------------------------------------


def test_warranty_period_in_words_and_figures_from_acceptance() -> None:
    f = facts_of("9.1 The Warranty Period is twenty-four (24) months from Acceptance.")
    (term,) = f.terms
    assert term.kind == "warranty"
    assert term.periods == (Period(24, "months", "acceptance", (24, "months")),)
    assert term.describe() == "24 months from acceptance"
    assert term.excerpt.clause == "9.1"


def test_years_are_counted_in_months_but_described_as_written() -> None:
    f = facts_of("The service term is five (5) years from the date of installation.")
    (term,) = f.terms
    assert term.kind == "service" and term.periods[0].amount == 60
    assert term.periods[0].trigger == "installation"
    assert term.describe() == "5 years from installation"


def test_two_periods_whichever_first_end_at_the_earlier() -> None:
    f = facts_of("The warranty shall last eighteen (18) months from delivery or twelve (12) "
                 "months from commissioning, whichever occurs first.")
    (term,) = f.terms
    assert [p.trigger for p in term.periods] == ["delivery", "commissioning"]
    assert term.combine == "earlier"
    w = term.window({"delivery": date(2024, 1, 10), "commissioning": date(2024, 3, 1)})
    assert (w.start, w.end) == (date(2024, 1, 10), date(2025, 3, 1))


def test_window_names_the_event_dates_still_needed() -> None:
    f = facts_of("The Warranty Period is 12 months from Acceptance.")
    w = f.terms[0].window({})
    assert w.end is None and w.missing == ("acceptance",)


def test_fixed_start_date_needs_no_event() -> None:
    f = facts_of("The Lessor warrants the Equipment for thirty-six (36) months commencing on "
                 "1 March 2025.")
    term = f.terms[0]
    assert term.start_date == date(2025, 3, 1)
    w = term.window({})
    assert (w.start, w.end) == (date(2025, 3, 1), date(2028, 3, 1))


def test_notice_periods_and_deadlines_are_not_terms() -> None:
    f = facts_of("Warranty claims must be notified within 14 days of discovery. Either party may "
                 "terminate this service agreement on ninety (90) days' prior written notice.")
    assert f.terms == []


def test_a_period_with_no_start_event_is_kept_without_trigger() -> None:
    f = facts_of("The Warranty Period is two years.")
    assert f.terms[0].periods[0].trigger is None and not f.terms[0].has_trigger


def test_agreement_term_of_a_lease_is_the_lease_term() -> None:
    f = facts_of("The initial term of this Agreement is 48 months from the Commencement Date.",
                 kind="lease")
    assert f.terms[0].kind == "lease" and f.terms[0].periods[0].trigger == "commencement"


def test_month_arithmetic_clamps_to_month_end() -> None:
    assert Period(1, "months", None).end_from(date(2024, 1, 31)) == date(2024, 2, 29)
    assert Period(30, "days", None).end_from(date(2024, 1, 1)) == date(2024, 1, 31)


def test_renewable_term_and_renewal_fact() -> None:
    f = facts_of("The service term is three years from Acceptance and may be renewed for "
                 "successive periods of one year.")
    assert f.terms[0].renewable and f.renewal is not None
    f = facts_of("The service term is three years from Acceptance and shall not be renewed.")
    assert not f.terms[0].renewable and f.renewal is None


# -- pay, trades work, production -------------------------------------------------------------


def test_pay_by_supplier_and_expenses_by_customer_are_told_apart() -> None:
    f = read_facts(make_analysis(("sale.txt", SALE)))
    assert f.personnel_pay.value == "supplier"
    assert f.personnel_pay.excerpts[0].clause == "7.4"
    assert f.expenses.value == "customer"


def test_customer_paying_the_technicians_is_found() -> None:
    f = facts_of("The Purchaser shall pay the Vendor's engineers directly at the daily rates "
                 "in Annex 3.", parties=[party("Acme AG", "Vendor", "supplier", "DE"),
                                         party("Beta Ltd.", "Purchaser", "customer", "CA")])
    assert f.personnel_pay.value == "customer"


def test_customer_paying_travel_expenses_is_not_pay() -> None:
    f = facts_of("The Buyer shall pay the travel and accommodation expenses of the Seller's "
                 "technicians.")
    assert f.personnel_pay is None and f.expenses.value == "customer"


@pytest.mark.parametrize("text, value", [
    ("The Buyer shall provide the foundations and electrical connections.", "carved_out"),
    ("All civil works shall be performed by the Buyer's licensed contractors.", "carved_out"),
    ("The Seller shall supervise the welding and piping carried out by local trades.",
     "carved_out"),
    ("The Seller is not responsible for foundations or electrical work.", "carved_out"),
    ("The Seller shall pour the foundations and weld the steel structure.", "carved_in"),
    ("The Seller shall:\n(a) deliver the Press;\n(b) carry out all pipework and wiring.",
     "carved_in"),
])
def test_construction_carved_in_or_out(text: str, value: str) -> None:
    assert facts_of(text).construction.value == value


def test_construction_carved_in_wins_over_carved_out() -> None:
    f = facts_of("The Buyer shall provide the foundations. The Seller shall do all welding.")
    assert f.construction.value == "carved_in"


def test_list_item_reads_its_lead_in_but_cites_only_itself() -> None:
    f = facts_of("The Seller shall:\n(a) deliver the Press;\n(b) carry out all pipework.")
    assert f.construction.excerpts[0].text == "carry out all pipework."


@pytest.mark.parametrize("text, value", [
    ("The Seller's operators shall operate the Line for production during the first month.",
     "supplier"),
    ("The Seller's personnel shall operate the Equipment only for trial runs.", "customer"),
    ("The Buyer shall be responsible for operating the Equipment in production.", "customer"),
    ("The Seller shall not operate the Equipment for production.", "customer"),
])
def test_production_operation(text: str, value: str) -> None:
    assert facts_of(text).production.value == value


# -- partners, schedules, origin, names ------------------------------------------------------


def test_named_service_partner_and_unnamed_subcontracting() -> None:
    f = read_facts(make_analysis(("sale.txt", SALE)))
    assert [p.value for p in f.partners] == ["Keller Service Canada Ltd."]
    assert f.subcontracting is None
    f = facts_of("The Seller may subcontract any of the services to third parties.")
    assert f.subcontracting.value == "unnamed" and f.partners == []
    assert facts_of("The Seller shall not subcontract the services.").subcontracting is None


def test_the_parties_themselves_are_not_partners() -> None:
    f = facts_of("Maschinenbau Keller GmbH and its affiliate Keller Service Canada Ltd. shall "
                 "perform the services.", parties=[seller(), buyer()])
    assert [p.value for p in f.partners] == ["Keller Service Canada Ltd."]


def test_schedules_forming_part_of_the_agreement() -> None:
    f = facts_of("Schedule D and Annex 2 form an integral part of this Agreement.")
    assert sorted(s.value for s in f.schedules) == ["2", "D"]
    f = facts_of("The Schedules are incorporated herein by reference.")
    assert [s.value for s in f.schedules] == ["*"]
    assert f.schedule_incorporated("B") is not None
    assert facts_of("Schedule D lists the spare parts.").schedules == []


@pytest.mark.parametrize("text, code", [
    ("The Press is manufactured in Italy.", "IT"),
    ("Country of origin: Japan.", "JP"),
    ("The Units are of Swiss origin.", "CH"),
    ("The System is assembled at the Vendor's plant in the United States.", "US"),
    ("The Equipment is manufactured at Seller's works in Bielefeld, Germany.", "DE"),
])
def test_origin_statements(text: str, code: str) -> None:
    assert facts_of(text).origin.value == code


def test_made_in_accordance_with_or_in_dollars_is_not_an_origin() -> None:
    assert facts_of("The Equipment is made in accordance with the Specification.").origin is None
    assert facts_of("Payment shall be made in U.S. dollars by wire transfer.").origin is None


def test_clause_references_read_as_a_lawyer_writes_them() -> None:
    assert clause_ref("7.2") == "clause 7.2"
    assert clause_ref("5#2") == "clause 5"
    assert clause_ref("Schedule A") == "Schedule A"


@pytest.mark.parametrize("text", [
    "The Lessor leases the machine to the Lessee for use in the Lessee's business.",
    "Seller shall sell the Equipment for use in Buyer's food-processing plant.",
    "The Products are sold for commercial use only.",
])
def test_business_use_wording(text: str) -> None:
    assert facts_of(text).commercial is not None


def test_consumer_goods_and_specialised_knowledge_cues() -> None:
    f = facts_of("The Products are sold for personal, family or household use. Service is "
                 "performed by factory-trained technicians.")
    assert f.consumer is not None and f.specialised is not None


def test_defined_names_come_from_the_contract() -> None:
    f = read_facts(make_analysis(("lease.txt", LEASE), kind="lease",
                                 parties=[lessor(), lessee()]))
    assert (f.names.supplier, f.names.customer) == ("the Lessor", "the Lessee")
    assert f.names.goods == "Leased Equipment" and f.names.agreement == "this Lease"
    assert f.names.fields()["Supplier"] == "The Lessor"


def test_evidence_of_a_second_file_names_that_file() -> None:
    a = make_analysis(("sale.txt", "1.1 The Seller shall deliver the Equipment."),
                      ("warranty.txt", "2.1 The Warranty Period is 12 months from delivery."))
    term = read_facts(a).terms[0]
    assert term.excerpt.file == "warranty.txt" and term.excerpt.clause == "2.1"
    assert term.excerpt.cite() == "clause 2.1, page 1 (warranty.txt)"


# -- sentences, dates, cue validation -------------------------------------------------------


def test_sentences_split_on_stops_and_list_items_not_on_abbreviations() -> None:
    text = "Acme Inc. shall deliver. Buyer shall pay, e.g. by wire.\n(a) first item\n(b) second"
    parts = [s.text for s in split_sentences(text, load_cues().abbreviations)]
    assert parts == ["Acme Inc. shall deliver.", "Buyer shall pay, e.g. by wire.", "first item",
                     "second"]


def test_parse_date_formats() -> None:
    assert parse_date("on 1 March 2025") == date(2025, 3, 1)
    assert parse_date("on March 1, 2025") == date(2025, 3, 1)
    assert parse_date("from 2025-03-01") == date(2025, 3, 1)
    assert parse_date("on 31 February 2025") is None


def _cues_data() -> dict:
    import tomllib

    from analyzer.requirements.facts import CUES_PATH

    return tomllib.loads(CUES_PATH.read_text(encoding="utf-8"))


def test_bad_cue_regex_is_reported_with_its_section_and_key() -> None:
    data = _cues_data()
    data["duty"]["modal"] = "(shall"
    with pytest.raises(CueError, match=r"\[duty\] modal is not a valid regular expression"):
        parse_cues(data)


def test_unknown_cue_placeholder_is_reported() -> None:
    data = _cues_data()
    data["pay"]["patterns"] = ["{payer} pays"]
    with pytest.raises(CueError, match=r"\[pay\] patterns\[0\] uses unknown placeholder"):
        parse_cues(data)


def test_missing_cue_section_is_reported() -> None:
    data = _cues_data()
    del data["origin"]
    with pytest.raises(CueError, match=r"section \[origin\] is missing"):
        parse_cues(data)


def test_shipped_cues_load_once() -> None:
    assert load_cues() is load_cues()
