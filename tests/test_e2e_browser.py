"""The real app in a real browser: `streamlit run app.py` on localhost, driven in headless Chromium.

Uploads the bundled sample PDF on the Review page and a small portfolio on the Portfolio page, waits
for the results the way a user would, checks them on the page, and saves screenshots under
test-output/ (the README's screenshots come from here).
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from tests.appserver import ROOT, app_server

SAMPLE = ROOT / "analyzer" / "samples" / "sample-purchase-agreement.pdf"
OUTPUT = ROOT / "test-output"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT = 120  # seconds: the first analysis loads the spaCy pipeline
NO_DUTY = """EQUIPMENT SALE AGREEMENT

This Agreement is made between Alpenwerk Maschinen AG, Zurich, Switzerland ("Seller") and Lakeside Dairy Inc.,
Guelph, Ontario, Canada ("Buyer").

1. Seller shall sell and deliver one filling machine model FX-200 to Buyer for use in Buyer's dairy plant.
2. Buyer shall, at its own cost, install the machine using its own contractors. Seller has no obligation to install.
"""
LEASE = """EQUIPMENT LEASE

This Lease is made between Nordic Leasing AB, Stockholm, Sweden ("Lessor") and Prairie Print Ltd., Regina,
Saskatchewan, Canada ("Lessee").

1. Lessor leases to Lessee one printing press for use in Lessee's business.
2. Lessor shall maintain the press in good working order and shall repair any defect at its own cost.
"""

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver); "
                              "`make test` installs them"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run app.py` bound to 127.0.0.1, until its health check answers."""
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    args = ("--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false")
    with app_server(log, "127.0.0.1", args) as (url, _proc):
        yield url


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1300",
                 f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def wait_for(driver, condition, timeout: float = WAIT):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.25).until(condition)


def css(selector: str):
    from selenium.webdriver.support import expected_conditions as EC

    return EC.presence_of_element_located(("css selector", selector))


def text_on_page(text: str):
    return lambda d: text in d.find_element("tag name", "body").text


def click_button(driver, label: str) -> None:
    xpath = f"//button[.//p[normalize-space()='{label}']]"  # the label, not the icon's ligature text
    button = wait_for(driver, lambda d: next((b for b in d.find_elements("xpath", xpath) if b.is_enabled()), None))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()


def upload(driver, paths: list[Path]) -> None:
    field = wait_for(driver, css('[data-testid="stFileUploader"] input[type="file"]'))
    field.send_keys("\n".join(str(p) for p in paths))
    wait_for(driver, lambda d: len(d.find_elements("css selector", '[data-testid="stFileChip"]'))
             == len(paths))


def settle(driver) -> None:
    """Wait until the app has stopped running and every image on the page has loaded."""
    wait_for(driver, lambda d: not d.find_elements("css selector", '[data-testid="stStatusWidget"]'))
    wait_for(driver, lambda d: d.execute_script(
        "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"))


def screenshot(driver, name: str, top) -> Path:
    """The window with `top` scrolled to its upper edge, saved under test-output/."""
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / name
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", top)
    time.sleep(0.5)  # let the scroll and the lazily drawn table cells settle before the capture
    assert driver.save_screenshot(str(path))
    return path


def test_review_page_analyses_an_uploaded_pdf(server, browser):
    browser.get(server)
    wait_for(browser, text_on_page("Review a contract"))
    upload(browser, [SAMPLE])
    click_button(browser, "Analyse")

    wait_for(browser, css('[data-testid="stHeading"] h2'))
    wait_for(browser, text_on_page("Evidence on the page"))
    settle(browser)
    body = browser.find_element("tag name", "body").text
    assert "sample-purchase-agreement.pdf" in browser.find_element("css selector", '[data-testid="stHeading"] h2').text
    for service in ("Installation", "Repair", "Maintenance", "Upgrade", "Training"):
        assert re.search(rf"^{service}: .+ \(confidence \d+%\)$", body, re.MULTILINE), service
    assert re.search(r"^Installation: Supplier's duty \(confidence", body, re.MULTILINE)
    badges = re.findall(r"^(?:Supplier's duty|Customer's duty|Excluded|Optional \(needs a further agreement\)|"
                        r"Not in the contract) · \d+%$", body, re.MULTILINE)
    assert len(badges) == 5  # one status badge per service
    assert "Hartmann Verpackungstechnik GmbH" in body or "Hartmann" in browser.page_source
    assert "Canada" in body and "United States" in body
    marks = browser.find_elements("css selector", 'mark.service[title="service: installation"]')
    assert "installation" in {m.text.lower() for m in marks}  # the service term marked in its sentence
    page_image = browser.find_element("css selector", '[data-testid="stImage"] img')
    assert browser.execute_script("return arguments[0].naturalWidth", page_image) > 500
    # The form hands the file back: the upload box is empty once the analysis is done.
    assert not browser.find_elements("css selector", '[data-testid="stFileChip"]')
    header = browser.find_element("css selector", '[data-testid="stHeading"] h2')
    assert screenshot(browser, "review.png", header).stat().st_size > 20_000


def test_portfolio_page_lists_each_contract_and_the_bad_one(server, browser, tmp_path):
    files = [tmp_path / "alpenwerk-sale.txt", tmp_path / "nordic-lease.txt", tmp_path / "broken.pdf"]
    files[0].write_text(NO_DUTY)
    files[1].write_text(LEASE)
    files[2].write_bytes(b"%PDF-1.7 cut short")
    browser.get(f"{server}/portfolio")
    wait_for(browser, text_on_page("Many supplier contracts at once"))
    upload(browser, [*files, SAMPLE])
    click_button(browser, "Analyse the portfolio")

    wait_for(browser, text_on_page("Gaps across the portfolio"))
    settle(browser)
    wait_for(browser, css('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'))
    body = browser.find_element("tag name", "body").text
    assert "broken.pdf: not a readable PDF (corrupt or truncated file)" in body
    metrics = [m.text for m in browser.find_elements("css selector", '[data-testid="stMetricValue"]')]
    assert metrics[0] == "3" and metrics[2] == "1"  # analysed, (with gaps), could not be read
    assert "3 of 3 contracts" in body
    first_metric = browser.find_element("css selector", '[data-testid="stMetric"]')
    assert screenshot(browser, "portfolio.png", first_metric).stat().st_size > 20_000
