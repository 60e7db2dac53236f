"""Every catalogue requirement, every verdict it can give, on contracts written for the tests.

Each scenario changes one thing in a deal that otherwise meets the requirements and checks the
verdict and the words of the explanation a reviewer reads. A final test ties the table to the
catalogue: every (requirement, verdict) pair the catalogue declares has a scenario here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from analyzer.requirements.catalogue import load_catalogue
from analyzer.requirements.dispatch import TripFacts
from analyzer.requirements.engine import evaluate, requirements_section
from analyzer.results import Analysis
from tests.dealkit import make_analysis, party
from tests.deals import lease, result, results, sale, trip

PAY_SILENT = {"7.4 The Seller's personnel remain employees of the Seller and are paid solely by "
              "the Seller.\nThe Buyer shall reimburse reasonable travel and accommodation expenses "
              "of the Seller's\ntechnicians.": "7.4 The Buyer shall keep the site safe."}
CUSTOMER_PAYS = {"7.4 The Seller's personnel remain employees of the Seller and are paid solely "
                 "by the Seller.": "7.4 The Buyer shall pay the Seller's technicians directly at "
                 "the daily rates in Annex 3."}
NO_ORIGIN = {"The Equipment\nis manufactured in Germany at the Seller's works in Stuttgart.": ""}
MADE_IN_CANADA = {"manufactured in Germany at the Seller's works in Stuttgart":
                  "manufactured in Canada at the Seller's plant in Winnipeg"}
MADE_IN_US = {"manufactured in Germany at the Seller's works in Stuttgart":
              "manufactured in the United States at the Seller's plant in Ohio"}
HOUSEHOLD = {"for use in its commercial grain handling operations":
             "for personal, family or household use"}
USE_UNSTATED = {"for use in its commercial grain handling operations": "for use at its site"}
TRADES_CLAUSE = ("7.2 The Buyer shall, at its own cost and through its licensed contractors, "
                 "provide the\nfoundations, electrical connections and piping.")
CARVED_IN = {TRADES_CLAUSE: "7.2 The Seller shall pour the foundations and carry out all welding "
             "and piping."}
NO_TRADES = {TRADES_CLAUSE: "7.2 The Buyer shall keep the site clean."}
RUNS_PRODUCTION = {"7.3 The Seller's personnel shall operate the Equipment only for trial runs "
                   "and acceptance tests.": "7.3 The Seller's operators shall operate the "
                   "Equipment for production during the first three months after Acceptance."}
UNNAMED_SUBCONTRACT = {"10.2 The Seller may have the services performed by its authorised service "
                       "partner, Keller\nService Canada Ltd., whose personnel are deemed "
                       "personnel of the Seller.": "10.2 The Seller may subcontract any of the "
                       "services to third parties of its choice."}
LOOSE_SCHEDULE = {"Schedule D forms part of this Agreement. ": ""}
NO_RENEWAL = {", renewable for further periods of one year": ""}
NO_TRIGGER = {"The Warranty Period is twenty-four (24) months from Acceptance.":
              "The Warranty Period is twenty-four (24) months.",
              "The service term is five (5) years from\nAcceptance":
              "The service term is five (5) years"}
NO_TERMS = {"The Warranty Period is twenty-four (24) months from Acceptance. During the Warranty "
            "Period\nthe Seller": "The Seller",
            "The service term is five (5) years from\nAcceptance, renewable for further periods "
            "of one year.": ""}

OPTIONAL_SERVICE = """SERVICE TERMS

The Seller offers maintenance of the Equipment under a separate service agreement at its then
current rates, which the Seller may decline to enter into.
"""

LATER_SERVICE_CONTRACT = """SERVICE CONTRACT

This Service Contract is made between Maschinenbau Keller GmbH (the "Seller") and Prairie Grain
Co-operative Ltd. (the "Buyer") two years after the sale of the Equipment.

1. Services
1.1 The Seller shall perform annual inspections of the Equipment.
"""

LATE = {"start": date(2026, 9, 1), "end": date(2026, 9, 10)}  # after the 24-month warranty


def _no_term_sale() -> Analysis:
    """The base sale with no warranty or service period: repairs are never "in warranty"."""
    return sale(NO_TERMS)


def _us_trip(**changes) -> TripFacts:
    base = {"destination": "US", "citizenship": "DE", "employer_country": "DE"}
    return trip(**(base | changes))


@dataclass(frozen=True)
class Case:
    req: str
    verdict: str
    build: Callable[[], tuple[Analysis, TripFacts | None]]
    says: tuple[str, ...]  # phrases the explanation must contain (case-insensitive)
    name: str = ""


def C(req: str, verdict: str, build, *says: str, name: str = "") -> Case:  # noqa: N802
    return Case(req, verdict, build, says, name)


CASES = [
    # CA-1: summary of the core tests
    C("CA-1", "met", lambda: (sale(), trip()), "after-sales service"),
    C("CA-1", "gap", lambda: (sale(), trip(tasks=["upgrade"])), "CA-8"),
    C("CA-1", "needs_evidence", lambda: (sale(seller_country=None), None), "CA-3", "CA-4"),
    C("CA-1", "not_applicable", lambda: (sale(), _us_trip()), "trip goes to the United States"),
    # CA-2 / US-4: pay
    C("CA-2", "met", lambda: (sale(), None), "paid by the Seller", "clause 7.4"),
    C("CA-2", "met", lambda: (sale(PAY_SILENT), trip()), "paid from Germany",
      "does not say who pays", name="trip-confirms"),
    C("CA-2", "gap", lambda: (sale(CUSTOMER_PAYS), None), "the Buyer pay the Seller's personnel",
      "clause 7.4"),
    C("CA-2", "gap", lambda: (sale(), trip(payroll_country="CA")), "paid from Canada",
      name="payroll-in-canada"),
    C("CA-2", "needs_evidence", lambda: (sale(PAY_SILENT), None), "does not say who pays"),
    C("CA-2", "not_applicable", lambda: (sale(), _us_trip()), "trip goes to"),
    C("US-4", "met", lambda: (sale(), None), "paid by the Seller"),
    C("US-4", "gap", lambda: (sale(), _us_trip(payroll_country="US")),
      "paid from the United States"),
    C("US-4", "needs_evidence", lambda: (sale(PAY_SILENT), None), "does not say who pays"),
    C("US-4", "not_applicable", lambda: (sale(), trip()), "trip goes to Canada"),
    # CA-3: employer abroad
    C("CA-3", "met", lambda: (sale(), None), "established in Germany"),
    C("CA-3", "gap", lambda: (sale(seller_country="CA"), None), "established in Canada"),
    C("CA-3", "gap", lambda: (sale(), trip(employer_country="CA")), "employer is based in Canada",
      name="trip-employer-in-canada"),
    C("CA-3", "needs_evidence", lambda: (sale(seller_country=None), None),
      "does not show where the Seller is established"),
    C("CA-3", "not_applicable", lambda: (sale(), trip(citizenship="CA")),
      "citizen of Canada"),
    # CA-4: cross-border deal
    C("CA-4", "met", lambda: (sale(), None), "Germany", "Canada", "across the border"),
    C("CA-4", "gap", lambda: (sale(seller_country="CA"), None), "no transaction from abroad"),
    C("CA-4", "gap", lambda: (sale(seller_country="FR", buyer_country="FR"), None),
      "does not cross a border", name="same-country"),
    C("CA-4", "needs_evidence", lambda: (sale(buyer_country=None), None),
      "does not show where the Buyer is established"),
    C("CA-4", "not_applicable", lambda: (sale(), _us_trip()), "trip goes to"),
    # CA-5: supplier outside Canada
    C("CA-5", "met", lambda: (sale(), None), "established in Germany"),
    C("CA-5", "gap", lambda: (sale(seller_country="CA"), None), "local company"),
    C("CA-5", "needs_evidence", lambda: (sale(seller_country=None), None),
      "does not show where"),
    C("CA-5", "not_applicable", lambda: (sale(), _us_trip()), "trip goes to"),
    # CA-6: made outside Canada (risk flag)
    C("CA-6", "met", lambda: (sale(), None), "made in Germany", "clause 1.1"),
    C("CA-6", "gap", lambda: (sale(MADE_IN_CANADA), None), "made in Canada", "counsel"),
    C("CA-6", "gap", lambda: (sale(NO_ORIGIN), trip(origin="CA")), "made in Canada",
      "trip facts", name="trip-origin"),
    C("CA-6", "needs_evidence", lambda: (sale(NO_ORIGIN), None), "certificate of origin"),
    C("CA-6", "not_applicable", lambda: (sale(), _us_trip()), "trip goes to"),
    # CA-7 / US-7: commercial goods
    C("CA-7", "met", lambda: (sale(), None), "for its business"),
    C("CA-7", "gap", lambda: (sale(HOUSEHOLD), None), "household"),
    C("CA-7", "gap", lambda: (sale(commercial_use=False), None), "not for commercial",
      name="not-commercial"),
    C("CA-7", "met", lambda: (sale(commercial_use=None), None), "states business use",
      "clause 1.1", name="from-wording"),
    C("CA-7", "needs_evidence", lambda: (sale(USE_UNSTATED, commercial_use=None), None),
      "business use"),
    C("CA-7", "not_applicable", lambda: (sale(), _us_trip()), "trip goes to"),
    C("US-7", "met", lambda: (sale(), None), "for its business"),
    C("US-7", "gap", lambda: (sale(HOUSEHOLD), None), "household"),
    C("US-7", "needs_evidence", lambda: (sale(USE_UNSTATED, commercial_use=None), None),
      "business use"),
    C("US-7", "not_applicable", lambda: (sale(), trip()), "trip goes to"),
    # CA-8: the service is the supplier's duty; each non-obligated status explained
    C("CA-8", "met", lambda: (sale(), None), "installation (clause 7.1", "repair (clause 9.1"),
    C("CA-8", "gap", lambda: (sale(services={"training": ("optional", "The Seller shall train "
                                                          "up to ten")}), trip(tasks=["training"])),
      "training needs a further agreement, order or quotation that the Seller may decline",
      name="optional"),
    C("CA-8", "gap", lambda: (sale(services={"training": ("customer", "The Seller shall train "
                                                          "up to ten")}), trip(tasks=["training"])),
      "puts training on the Buyer", name="customer"),
    C("CA-8", "gap", lambda: (sale(services={"training": ("excluded", "The Seller shall train "
                                                          "up to ten")}), trip(tasks=["training"])),
      "expressly leaves training out", name="excluded"),
    C("CA-8", "gap", lambda: (sale(), trip(tasks=["upgrade"])),
      "does not make upgrade anyone's duty", name="absent"),
    C("CA-8", "gap", lambda: (make_analysis(("terms.txt", OPTIONAL_SERVICE), services={
        "maintenance": ("optional", "The Seller offers maintenance")}), None),
      "does not make the Seller provide any service", "may decline", name="no-duty-at-all"),
    C("CA-8", "not_applicable", lambda: (sale(), _us_trip()), "trip goes to"),
    # CA-9: agreed with the original deal
    C("CA-9", "met", lambda: (sale(), None), "part of the original contract",
      "schedules form part"),
    C("CA-9", "met", lambda: (sale(extra=[
        ("service.txt", LATER_SERVICE_CONTRACT)], services={
        "maintenance": ("obligated", "The Seller shall perform annual inspections")}),
        trip(tasks=["inspection"])), "provides for extension", name="extension-clause"),
    C("CA-9", "gap", lambda: (make_analysis(("terms.txt", OPTIONAL_SERVICE), services={
        "maintenance": ("optional", "The Seller offers maintenance")}), None),
      "later agreement"),
    C("CA-9", "needs_evidence", lambda: (sale(LOOSE_SCHEDULE), trip(tasks=["maintenance"])),
      "schedule the contract does not say forms part", name="loose-schedule"),
    C("CA-9", "needs_evidence", lambda: (sale(NO_RENEWAL, extra=[
        ("service.txt", LATER_SERVICE_CONTRACT)], services={
        "maintenance": ("obligated", "The Seller shall perform annual inspections")}),
        trip(tasks=["inspection"])), "separate document (service.txt)", name="separate-file"),
    C("CA-9", "not_applicable", lambda: (sale(), trip(tasks=["upgrade"])), "see the service"),
    # CA-10: accepted activities
    C("CA-10", "met", lambda: (sale(), trip(tasks=["repair", "training"])),
      "accepted after-sales activities"),
    C("CA-10", "gap", lambda: (sale(), trip(tasks=["repair", "construction"])), "construction",
      "CA-11"),
    C("CA-10", "gap", lambda: (sale(), trip(tasks=["upgrade"])), "upgrade",
      name="upgrade-not-ordered"),
    C("CA-10", "not_applicable", lambda: (sale(), _us_trip()), "trip goes to"),
    # CA-11 / US-3: no construction
    C("CA-11", "met", lambda: (sale(), None), "the Buyer's (clause 7.2", "only supervises"),
    C("CA-11", "gap", lambda: (sale(CARVED_IN), None), "do construction or trades work itself",
      "clause 7.2"),
    C("CA-11", "gap", lambda: (sale(), trip(construction=True)), "construction",
      name="trip-construction"),
    C("CA-11", "needs_evidence", lambda: (sale(NO_TRADES), None),
      "does not say who does the foundations"),
    C("CA-11", "not_applicable", lambda: (lease(), None), "No installation duty"),
    C("US-3", "met", lambda: (sale(), None), "only supervises"),
    C("US-3", "gap", lambda: (sale(CARVED_IN), None), "trades work itself"),
    C("US-3", "needs_evidence", lambda: (sale(NO_TRADES), None), "does not say who does"),
    C("US-3", "not_applicable", lambda: (lease(), None), "No installation duty"),
    # CA-12: no production operation
    C("CA-12", "met", lambda: (sale(), None), "only for trials and tests"),
    C("CA-12", "gap", lambda: (sale(RUNS_PRODUCTION), None), "for production", "clause 7.3"),
    C("CA-12", "gap", lambda: (sale(), trip(tasks=["repair", "production operation"])),
      "running the equipment for production", name="trip-production"),
    C("CA-12", "not_applicable", lambda: (sale(), _us_trip()), "trip goes to"),
    # CA-13 / US-8: specialised knowledge
    C("CA-13", "met", lambda: (sale(), trip()), "documented product-specific knowledge"),
    C("CA-13", "gap", lambda: (sale(), trip(specialised_knowledge=False)),
      "no documented specialised knowledge"),
    C("CA-13", "needs_evidence", lambda: (sale(), None), "proof of specialised knowledge"),
    C("CA-13", "not_applicable", lambda: (sale(), _us_trip()), "trip goes to"),
    C("US-8", "met", lambda: (sale(), _us_trip()), "documented product-specific knowledge"),
    C("US-8", "gap", lambda: (sale(), _us_trip(specialised_knowledge=False)),
      "no documented specialised knowledge"),
    C("US-8", "needs_evidence", lambda: (sale(), None), "proof of specialised knowledge"),
    C("US-8", "not_applicable", lambda: (sale(), trip()), "trip goes to"),
    # CA-14: own staff or a named partner
    C("CA-14", "met", lambda: (sale(), trip()), "works for the Seller itself"),
    C("CA-14", "met", lambda: (sale(), trip(employer="Keller Service Canada Ltd.")),
      "Keller Service Canada Ltd.", "named in the original contract", name="named-partner"),
    C("CA-14", "gap", lambda: (sale(), trip(employer="Rapid Field Services Inc.")),
      "neither the Seller nor a service partner"),
    C("CA-14", "needs_evidence", lambda: (sale(UNNAMED_SUBCONTRACT), None),
      "parties it does not name", "clause 10.2"),
    C("CA-14", "not_applicable", lambda: (sale(), _us_trip()), "trip goes to"),
    # CA-15: visit within the period
    C("CA-15", "met", lambda: (sale(), trip()), "falls within the warranty period",
      "24 months from acceptance"),
    C("CA-15", "met", lambda: (sale(), None), "24 months from acceptance", "must fall within",
      name="contract-only"),
    C("CA-15", "gap", lambda: (sale(NO_RENEWAL | {"five (5) years": "one (1) year"}),
                               trip(**LATE)), "falls after the periods end", name="late-visit"),
    C("CA-15", "gap", lambda: (_no_term_sale(), None), "states no warranty, service or lease "
      "period"),
    C("CA-15", "needs_evidence", lambda: (sale(), trip(contract_dates=None)),
      "give the date of acceptance"),
    C("CA-15", "needs_evidence", lambda: (sale(NO_TRIGGER), None), "no clear start",
      name="no-trigger"),
    C("CA-15", "needs_evidence", lambda: (sale(), trip(start=None, end=None)),
      "start and end dates", name="no-trip-dates"),
    C("CA-15", "not_applicable", lambda: (make_analysis(("terms.txt", OPTIONAL_SERVICE),
                                                        services={}), None), "no service duty"),
    # CA-16: after-lease
    C("CA-16", "met", lambda: (lease(), None), "must maintain and repair", "after-lease"),
    C("CA-16", "gap", lambda: (lease(services={
        "maintenance": ("customer", "The Lessor shall maintain and repair the Leased Equipment"),
        "repair": ("customer", "The Lessor shall maintain and repair the Leased Equipment")}),
        None), "does not make the Lessor maintain or repair", "on the Lessee"),
    C("CA-16", "gap", lambda: (lease(lessor_country="CA"), None), "not leased from abroad",
      name="canadian-lessor"),
    C("CA-16", "needs_evidence", lambda: (lease(lessor_country=None), None),
      "does not show where the Lessor"),
    C("CA-16", "not_applicable", lambda: (sale(), None), "sale, not a lease"),
    # CA-17: CUSMA
    C("CA-17", "met", lambda: (sale(), trip(citizenship="US")), "citizenship qualifies"),
    C("CA-17", "met", lambda: (sale(), None), "Open to citizens of Mexico or the United States",
      name="contract-only"),
    C("CA-17", "gap", lambda: (sale(services={s: None for s in ("installation", "repair",
                                                                "maintenance", "training")}),
                               trip(citizenship="MX")), "No warranty or service duty"),
    C("CA-17", "gap", lambda: (sale(seller_country="CA"), trip(citizenship="US")),
      "not from an enterprise outside", name="canadian-seller"),
    C("CA-17", "needs_evidence", lambda: (sale(), trip(citizenship=None)),
      "give the traveller's citizenship"),
    C("CA-17", "not_applicable", lambda: (lease(), None), "covers sales only"),
    C("CA-17", "not_applicable", lambda: (sale(), trip()), "traveller is a citizen of Germany",
      name="german-citizen"),
    # CA-18 / US-1: temporary stay
    C("CA-18", "met", lambda: (sale(), trip()), "12 days is temporary"),
    C("CA-18", "gap", lambda: (sale(), trip(start=date(2025, 1, 1), end=date(2025, 9, 1))),
      "244 days"),
    C("CA-18", "needs_evidence", lambda: (sale(), None), "trip dates"),
    C("CA-18", "not_applicable", lambda: (sale(), _us_trip()), "trip goes to"),
    C("US-1", "met", lambda: (sale(), _us_trip()), "12 days is temporary"),
    C("US-1", "gap", lambda: (sale(), _us_trip(start=date(2025, 1, 1), end=date(2025, 9, 1))),
      "longer than a temporary business visit"),
    C("US-1", "needs_evidence", lambda: (sale(), None), "trip dates"),
    C("US-1", "not_applicable", lambda: (sale(), _us_trip(citizenship="US")),
      "citizen of the United States"),
    # CA-ALT-1: C13 work permit
    C("CA-ALT-1", "met", lambda: (_no_term_sale(), trip(**LATE)),
      "maker without a commercial presence"),
    C("CA-ALT-1", "met", lambda: (_no_term_sale(), trip(emergency="equipment")),
      "emergency repair", name="emergency"),
    C("CA-ALT-1", "gap", lambda: (_no_term_sale(), trip(oem_presence_in_canada=True)),
      "commercial presence in Canada"),
    C("CA-ALT-1", "gap", lambda: (sale(), trip(tasks=["upgrade"])), "repair personnel",
      name="not-a-repair"),
    C("CA-ALT-1", "needs_evidence", lambda: (_no_term_sale(), None), "C13"),
    C("CA-ALT-1", "needs_evidence", lambda: (_no_term_sale(), trip(oem_presence_in_canada=None)),
      "commercial presence", name="presence-unknown"),
    C("CA-ALT-1", "not_applicable", lambda: (sale(), trip()), "not needed"),
    # CA-ALT-2: emergency services for life or property
    C("CA-ALT-2", "met", lambda: (_no_term_sale(), trip(emergency="life_or_property")),
      "life or property"),
    C("CA-ALT-2", "gap", lambda: (_no_term_sale(), trip(emergency="none")),
      "not equipment repair"),
    C("CA-ALT-2", "needs_evidence", lambda: (_no_term_sale(), trip(emergency=None)),
      "whether there is an emergency"),
    C("CA-ALT-2", "not_applicable", lambda: (sale(), None), "not needed"),
    # US-2: the sale contract specifically requires the service
    C("US-2", "met", lambda: (sale(), _us_trip()), "requires the Seller to provide repair"),
    C("US-2", "gap", lambda: (sale(seller_country="US"), None), "not bought from a company "
      "outside the US"),
    C("US-2", "gap", lambda: (sale(services={"training": ("optional", "The Seller shall train "
                                                          "up to ten")}),
                              _us_trip(tasks=["training"])), "may decline", name="optional"),
    C("US-2", "gap", lambda: (sale(), _us_trip(tasks=["production operation"])),
      "production operation", name="production"),
    C("US-2", "gap", lambda: (make_analysis(("terms.txt", OPTIONAL_SERVICE), services={
        "maintenance": ("optional", "The Seller offers maintenance")}), None),
      "does not specifically require", name="no-duty"),
    C("US-2", "needs_evidence", lambda: (sale(seller_country=None), None),
      "does not show where the Seller"),
    C("US-2", "not_applicable", lambda: (lease(), None), "US-9"),
    # US-5: USMCA
    C("US-5", "met", lambda: (sale(), None), "made in Germany", "Canada or Mexico"),
    C("US-5", "met", lambda: (sale(), _us_trip(citizenship="CA")), "citizenship qualifies",
      name="canadian-citizen"),
    C("US-5", "gap", lambda: (sale(MADE_IN_US), None), "made in the United States"),
    C("US-5", "gap", lambda: (sale(NO_RENEWAL | {"five (5) years": "one (1) year"}),
                              _us_trip(citizenship="CA", **LATE)), "life of the warranty",
      name="late-visit"),
    C("US-5", "needs_evidence", lambda: (sale(NO_ORIGIN), None), "where the goods were made"),
    C("US-5", "not_applicable", lambda: (lease(), None), "covers sales only"),
    C("US-5", "not_applicable", lambda: (sale(), _us_trip()), "citizen of Germany",
      name="german-citizen"),
    # US-6: renewals and servicers fixed at the point of sale (risk)
    C("US-6", "met", lambda: (sale(), None), "Renewal is provided for"),
    C("US-6", "gap", lambda: (sale(UNNAMED_SUBCONTRACT), None), "servicers it does not name"),
    C("US-6", "gap", lambda: (sale(NO_RENEWAL), None), "no renewal option", name="no-renewal"),
    C("US-6", "gap", lambda: (sale(NO_RENEWAL, extra=[("service.txt", LATER_SERVICE_CONTRACT)],
                                   services={"maintenance": ("obligated", "The Seller shall "
                                                             "perform annual inspections")}),
                              None), "separate service contract", name="later-contract"),
    C("US-6", "not_applicable", lambda: (make_analysis(("terms.txt", OPTIONAL_SERVICE),
                                                       services={}), None), "No service duty"),
    # US-9: after-lease in the US (policy, risk)
    C("US-9", "met", lambda: (lease(), None), "2013 CBP policy memo", "not on the regulation"),
    C("US-9", "gap", lambda: (lease(lessor_country="US"), None), "not leased from a foreign"),
    C("US-9", "gap", lambda: (lease(services={
        "maintenance": ("customer", "The Lessor shall maintain and repair the Leased Equipment"),
        "repair": ("customer", "The Lessor shall maintain and repair the Leased Equipment")}),
        None), "does not call for the Lessor to service", name="lessee-maintains"),
    C("US-9", "needs_evidence", lambda: (lease({"1.2 The Lease Term is thirty-six (36) months "
                                                "from the Commencement Date.": ""}), None),
      "states no lease term"),
    C("US-9", "needs_evidence", lambda: (lease(lessor_country=None), None),
      "does not show where", name="lessor-unknown"),
    C("US-9", "not_applicable", lambda: (sale(), None), "sale"),
]


def _case_id(c: Case) -> str:
    return f"{c.req}-{c.verdict}" + (f"-{c.name}" if c.name else "")


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_requirement_verdict(case: Case) -> None:
    analysis, trip_facts = case.build()
    r = result(analysis, case.req, trip_facts)
    assert r.verdict == case.verdict, r.explanation
    for phrase in case.says:
        assert phrase.lower() in r.explanation.lower(), (phrase, r.explanation)
    declared = load_catalogue().requirement(case.req).verdicts
    assert case.verdict in declared


def test_every_declared_verdict_has_a_scenario() -> None:
    declared = {(r.id, v) for r in load_catalogue().requirements for v in r.verdicts}
    covered = {(c.req, c.verdict) for c in CASES}
    assert declared - covered == set()
    assert covered - declared == set()


def test_one_result_per_catalogue_requirement_in_catalogue_order() -> None:
    ids = [r.id for r in evaluate(sale())]
    assert ids == [r.id for r in load_catalogue().requirements]
    assert {i.split("-")[0] for i in ids} == {"CA", "US"}


def test_a_trip_to_one_country_leaves_every_rule_of_the_other_not_applicable() -> None:
    by_id = results(sale(), trip())
    us = [r for r in by_id.values() if r.jurisdiction == "US"]
    assert us and all(r.verdict == "not_applicable" for r in us)
    assert all("Canada" in r.explanation for r in us)


def test_gap_remedy_uses_the_contracts_own_party_names() -> None:
    r = result(sale(CUSTOMER_PAYS), "CA-2")
    assert r.verdict == "gap"
    assert r.remedy.startswith("Personnel of the Seller who perform services under this "
                               "Agreement")
    assert "The Buyer shall pay the Seller" in r.remedy
    assert "{" not in r.remedy


def test_remedy_lists_the_missing_services_as_clause_wording() -> None:
    a = sale(services={"training": ("optional", "The Seller shall train up to ten"),
                       "upgrade": None})
    r = result(a, "CA-8", trip(tasks=["training", "upgrade"]))
    assert r.verdict == "gap"
    assert "(a) train the Buyer's operators" in r.remedy
    assert "(b) supply the updates and upgrades of the Equipment" in r.remedy
    assert r.remedy.startswith("The Seller shall, as part of the price and under this Agreement")


def test_remedy_uses_lessor_and_lessee_for_a_lease() -> None:
    a = lease(services={"maintenance": ("customer", "The Lessor shall maintain and repair"),
                        "repair": ("customer", "The Lessor shall maintain and repair")})
    r = result(a, "CA-16")
    assert "the Lessor shall, at its own cost, maintain and repair the Leased Equipment" in (
        r.remedy)


def test_remedy_falls_back_to_party_names_without_defined_roles() -> None:
    parties = [party("Maschinenbau Keller GmbH", None, "supplier", "DE"),
               party("Prairie Grain Co-operative Ltd.", None, "customer", "CA")]
    r = result(sale(CUSTOMER_PAYS, parties=parties), "CA-2")
    assert "Personnel of Maschinenbau Keller GmbH" in r.remedy


def test_met_needs_evidence_and_not_applicable_carry_no_remedy() -> None:
    for r in evaluate(sale()):
        if r.verdict != "gap":
            assert r.remedy is None, r.id


def test_the_warranty_term_fills_the_period_in_a_remedy() -> None:
    r = result(sale(MADE_IN_US), "US-5")
    assert r.verdict == "gap"
    assert "warrants the Equipment for 24 months from acceptance" in r.remedy


def test_evidence_names_clause_page_and_text() -> None:
    a = sale(CARVED_IN)
    ev = result(a, "CA-11").evidence[0]
    assert ev.clause == "7.2" and ev.page == 1
    assert a.documents[0].text[ev.start:ev.end].startswith("The Seller shall pour the foundations")
    assert ev.text == "The Seller shall pour the foundations and carry out all welding and piping."


def test_evidence_in_a_deal_of_several_files_names_each_file() -> None:
    a = sale(NO_RENEWAL, extra=[("service.txt", LATER_SERVICE_CONTRACT)],
             services={"maintenance": ("obligated", "The Seller shall perform annual "
                                                    "inspections")})
    r = result(a, "CA-9", trip(tasks=["inspection", "repair"]))
    files = {e.file for e in r.evidence}
    assert {"sale.txt", "service.txt"} <= files
    assert "clause 9.1, page 2 (sale.txt)" in result(a, "CA-8", trip()).explanation


def test_risk_severity_is_reported_for_ca6_and_us6() -> None:
    by_id = results(sale(MADE_IN_CANADA))
    assert by_id["CA-6"].verdict == "gap" and by_id["CA-6"].severity == "risk"
    assert by_id["US-6"].severity == "risk"
    assert by_id["CA-8"].severity == "fail" and by_id["US-9"].severity == "fail"


def test_the_same_lease_comes_out_differently_for_canada_and_the_us() -> None:
    # A lease with lessor service but no stated lease term: Canada's after-lease route rests
    # on the lessor's duty alone; the US policy needs service "during the lease".
    a = lease({"1.2 The Lease Term is thirty-six (36) months from the Commencement Date.": ""})
    by_id = results(a)
    assert by_id["CA-16"].verdict == "met"
    assert by_id["US-9"].verdict == "needs_evidence"
    assert by_id["US-2"].verdict == "not_applicable" and by_id["US-5"].verdict == "not_applicable"
    assert by_id["CA-17"].verdict == "not_applicable"


def test_requirements_section_is_plain_dicts_matching_the_report_schema() -> None:
    import jsonschema

    section = requirements_section(sale(CUSTOMER_PAYS), trip())
    item = {
        "type": "object",
        "required": ["id", "jurisdiction", "title", "verdict", "explanation", "evidence",
                     "remedy", "source"],
        "properties": {"verdict": {"enum": ["met", "gap", "needs_evidence", "not_applicable"]},
                       "remedy": {"type": ["string", "null"]}},
    }
    jsonschema.validate(section, {"type": "array", "items": item})
    gap = next(r for r in section if r["id"] == "CA-2")
    assert gap["verdict"] == "gap" and gap["evidence"][0]["clause"] == "7.4"
    assert set(gap["evidence"][0]) == {"text", "page", "clause", "file", "start", "end"}
    assert "IRPR 187(3)(a) [official]" in gap["source"]
