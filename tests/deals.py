"""Short contracts written for the requirement tests, and helpers to vary them.

SALE is a German seller's supply of a grain-drying line to a Canadian co-operative that meets
every contract-side requirement; LEASE is an Austrian lessor's lease with lessor maintenance.
Each test changes one thing (a clause, a party's country, a service status, a trip fact) and
checks the verdict and the explanation a user would read.
"""

from __future__ import annotations

from datetime import date

from analyzer.requirements.dispatch import TripFacts, trip_from_dict
from analyzer.requirements.engine import RequirementResult, evaluate
from analyzer.results import Analysis, Party
from tests.dealkit import buyer, make_analysis, party, seller

SALE = """SUPPLY AGREEMENT

This Agreement is made between Maschinenbau Keller GmbH, Stuttgart, Germany (the "Seller")
and Prairie Grain Co-operative Ltd., Regina, Saskatchewan, Canada (the "Buyer").

1. Subject
1.1 The Seller shall sell and deliver the grain drying line described in Annex 1 (the
"Equipment") to the Buyer for use in its commercial grain handling operations. The Equipment
is manufactured in Germany at the Seller's works in Stuttgart.

7. Installation and Commissioning
7.1 The Seller shall supervise the installation of the Equipment and shall commission and
test it at the Buyer's site.
7.2 The Buyer shall, at its own cost and through its licensed contractors, provide the
foundations, electrical connections and piping.
7.3 The Seller's personnel shall operate the Equipment only for trial runs and acceptance tests.
7.4 The Seller's personnel remain employees of the Seller and are paid solely by the Seller.
The Buyer shall reimburse reasonable travel and accommodation expenses of the Seller's
technicians.
7.5 The Seller shall train up to ten of the Buyer's operators and maintenance staff.
\f
9. Warranty
9.1 The Warranty Period is twenty-four (24) months from Acceptance. During the Warranty Period
the Seller shall repair or replace defective parts and shall send its technicians to the
Buyer's site to do so at no charge.
9.2 Warranty claims must be notified within fourteen (14) days of discovery.

10. Maintenance
10.1 Schedule D forms part of this Agreement. The service term is five (5) years from
Acceptance, renewable for further periods of one year.
10.2 The Seller may have the services performed by its authorised service partner, Keller
Service Canada Ltd., whose personnel are deemed personnel of the Seller.

Schedule D - Preventive Maintenance
1. The Seller shall perform quarterly preventive maintenance of the Equipment.
"""

SALE_SERVICES = {
    "installation": ("obligated", "The Seller shall supervise the installation of the Equipment"),
    "repair": ("obligated", "Seller shall repair or replace defective parts"),
    "maintenance": ("obligated", "The Seller shall perform quarterly preventive maintenance"),
    "training": ("obligated", "The Seller shall train up to ten of the Buyer's operators"),
}

LEASE = """EQUIPMENT LEASE

This Lease is made between Alpen Leasing AG, Vienna, Austria (the "Lessor") and Northern Mills
Inc., Toronto, Ontario, Canada (the "Lessee").

1. Lease
1.1 The Lessor leases to the Lessee the paper converting machine described in the Schedule
(the "Leased Equipment") for use in the Lessee's business.
1.2 The Lease Term is thirty-six (36) months from the Commencement Date.

5. Maintenance
5.1 The Lessor shall maintain and repair the Leased Equipment during the Lease Term and keep
it in good working order.
5.2 The Lessor's technicians are employed and paid solely by the Lessor.
5.3 The Leased Equipment is manufactured in Austria.
"""

LEASE_SERVICES = {
    "maintenance": ("obligated", "The Lessor shall maintain and repair the Leased Equipment"),
    "repair": ("obligated", "The Lessor shall maintain and repair the Leased Equipment"),
}


def lessor(country: str | None = "AT") -> Party:
    return party("Alpen Leasing AG", "Lessor", "supplier", country)


def lessee(country: str | None = "CA") -> Party:
    return party("Northern Mills Inc.", "Lessee", "customer", country)


def _edit(text: str, replace: dict[str, str] | None) -> str:
    for old, new in (replace or {}).items():
        assert old in text, f"test edit does not match the contract: {old!r}"
        text = text.replace(old, new)
    return text


def sale(replace: dict[str, str] | None = None, services: dict | None = None,
         parties: list[Party] | None = None, seller_country: str | None = "DE",
         buyer_country: str | None = "CA", kind: str = "purchase",
         commercial_use: bool | None = True, extra: list[tuple[str, str]] | None = None,
         ) -> Analysis:
    """The base sale, with clause edits, changed statuses or parties, and extra files."""
    text = _edit(SALE, replace)
    statuses = dict(SALE_SERVICES)
    statuses.update(services or {})
    statuses = {k: v for k, v in statuses.items() if v is not None}
    docs = [("sale.txt", text)] + list(extra or [])
    return make_analysis(*docs, kind=kind, services=statuses, commercial_use=commercial_use,
                         parties=parties if parties is not None else
                         [seller(seller_country), buyer(buyer_country)])


def lease(replace: dict[str, str] | None = None, services: dict | None = None,
          lessor_country: str | None = "AT", lessee_country: str | None = "CA",
          kind: str = "lease") -> Analysis:
    text = _edit(LEASE, replace)
    statuses = dict(LEASE_SERVICES)
    statuses.update(services or {})
    statuses = {k: v for k, v in statuses.items() if v is not None}
    return make_analysis(("lease.txt", text), kind=kind, services=statuses,
                         parties=[lessor(lessor_country), lessee(lessee_country)])


BASE_TRIP = {
    "destination": "CA",
    "citizenship": "DE",
    "tasks": ["repair"],
    "start": date(2025, 3, 3),
    "end": date(2025, 3, 14),
    "employer": "Maschinenbau Keller GmbH",
    "employer_country": "DE",
    "payroll_country": "DE",
    "expenses_paid_by": "customer",
    "specialised_knowledge": True,
    "construction": False,
    "emergency": "none",
    "oem_presence_in_canada": False,
    "contract_dates": {"acceptance": date(2024, 7, 15)},
    "traveller": {"name": "Anna Berger", "role": "Senior Service Engineer"},
}


def trip(**changes) -> TripFacts:
    """The base trip (a repair visit to Canada inside the warranty) with some facts changed;
    a value of None removes the fact."""
    data = {**BASE_TRIP, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    return trip_from_dict(data, "test trip")


def results(analysis: Analysis, trip_facts: TripFacts | None = None
            ) -> dict[str, RequirementResult]:
    return {r.id: r for r in evaluate(analysis, trip_facts)}


def result(analysis: Analysis, req_id: str, trip_facts: TripFacts | None = None
           ) -> RequirementResult:
    return results(analysis, trip_facts)[req_id]
