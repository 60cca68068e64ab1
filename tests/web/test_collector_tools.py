"""The collector's market tools in the browser: the sweep cart and the collection offer on a
company page, bulk listing and cancelling from "My cards", and a private listing on the list
form. Each action shows its cost first, asks once, and ends with a toast."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, Route, expect

from tests.web.conftest import Browsers, WebServer
from tests.web.support import (
    Admin,
    admin_client,
    axe_violations,
    confirm,
    fund,
    make_company,
    sign_in,
)

pytestmark = pytest.mark.browser


# A call to the API from inside a signed-in page (its cookie and CSRF token), as another tab would.
CALL_API = """async ([method, path, body]) => {
    const csrf = document.cookie.split("; ").find((c) => c.startsWith("ece_csrf="));
    const headers = {"X-CSRF-Token": decodeURIComponent(csrf.slice("ece_csrf=".length)),
                     "Idempotency-Key": crypto.randomUUID()};
    if (body) headers["Content-Type"] = "application/json";
    const r = await fetch(path, {method, headers, body: body ? JSON.stringify(body) : undefined});
    return [r.status, await r.json()];
}"""


def call_api(page: Page, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    status, answer = page.evaluate(CALL_API, [method, path, body])
    return int(status), answer


def open_listings(base: str, company_id: str) -> list[dict[str, Any]]:
    """The company's public listings, as anyone (signed out) reads them."""
    page = httpx.get(f"{base}/api/v1/listings", params={"company": company_id, "limit": 50})
    assert page.status_code == 200, page.text
    items: list[dict[str, Any]] = page.json()["items"]
    return items


def list_card(page: Page, base: str, card_id: str, price: str, taker: str = "") -> None:
    page.goto(f"{base}/cards/{card_id}")
    form = page.get_by_role("form", name="List for sale")
    form.get_by_label("Price", exact=True).fill(price)
    if taker:
        form.get_by_label("Private: only this wallet may buy (optional)").fill(taker)
    form.get_by_role("button", name="List for sale").click()
    confirm(page)
    expect(page.get_by_test_id("listing-price")).to_have_text(f"{price} USDC")


def mint_for(admin: Admin, company: dict[str, Any], names: list[str], address: str) -> list[str]:
    owner = admin.user_id(address)
    return [admin.mint(company["id"], name, owner)["id"] for name in names]


def test_sweep_cart_buys_the_three_cheapest(web_server: WebServer, browsers: Browsers) -> None:
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    company = make_company(admin)  # royalty 2.5 %, platform fee 2.5 %
    alice, bob = browsers.new_user(), browsers.new_user()
    sign_in(alice, base)
    bob_address = sign_in(bob, base)
    # Three issuer listings (a primary sale) and one of Bob's, the second cheapest.
    for name, price in (("Acme Three", "3"), ("Acme Five", "5"), ("Acme Nine", "9")):
        card = admin.mint(company["id"], name)
        admin.post("/api/v1/listings", {"card_id": card["id"], "price": price, "currency": "USDC"})
    [keynote] = mint_for(admin, company, ["Acme Keynote"], bob_address)
    list_card(bob, base, keynote, "4")
    fund(alice, base, "50")

    alice.goto(f"{base}/companies/{company['ticker']}")
    sweep = alice.get_by_role("form", name="Sweep cart")
    cart = sweep.get_by_test_id("sweep-cart").locator("li")
    preview = sweep.get_by_test_id("sweep-preview")
    # Ticking listings fills the cart with exactly those...
    alice.get_by_role("checkbox", name=re.compile("Add Acme Nine")).check()
    alice.get_by_role("checkbox", name=re.compile("Add Acme Five")).check()
    expect(cart).to_have_count(2)
    expect(preview).to_contain_text("14 USDC")
    expect(sweep.get_by_label("Maximum total")).to_have_value("14")
    # ...and "the cheapest" takes the N cheapest, whoever sells them.
    sweep.get_by_label("The cheapest listings").check()
    expect(cart).to_have_text(
        ["Acme Three · 3 USDC", "Acme Keynote · 4 USDC", "Acme Five · 5 USDC"]
    )
    expect(preview).to_contain_text("You pay12 USDC")
    expect(sweep.get_by_label("Maximum total")).to_have_value("12")
    assert axe_violations(alice) == []

    # A maximum below the cart's cost is refused before anything is asked.
    sweep.get_by_label("Maximum total").fill("11.99")
    sweep.get_by_role("button", name="Buy the cart").click()
    expect(sweep.locator("[data-error-for=max_total]")).to_contain_text("The cart costs 12 USDC")
    sweep.get_by_label("Maximum total").fill("12")

    sweeps: list[str] = []
    alice.on("request", lambda r: sweeps.append(r.method) if r.url.endswith("/sweeps") else None)
    # The first answer is lost on the way back (the sweep did happen): the retry carries the
    # same Idempotency-Key, so it is answered without buying anything twice.
    sweep_url = re.compile(r"/api/v1/sweeps$")
    browsers.watch.expect_errors(sweep_url.pattern)

    def lose_answer(route: Route) -> None:
        route.fetch()
        route.abort()

    alice.route(sweep_url, lose_answer, times=1)
    dialog = alice.get_by_role("dialog")
    for attempt in range(2):
        sweep.get_by_role("button", name="Buy the cart").click()
        expect(dialog).to_contain_text(
            "Buy 3 cards (Acme Three, Acme Keynote, Acme Five) for 12 USDC"
        )
        confirm(alice)
        if attempt == 0:
            expect(sweep.locator("[data-form-error]")).to_have_text(
                "No answer from the server: try again."
            )
    expect(alice.locator("#toast")).to_have_text(
        "Bought 3 cards for 12 USDC. They are in your cards."
    )
    assert sweeps == ["POST", "POST"]  # one request for the whole cart, and its retry
    browsers.watch.provoked.clear()

    alice.goto(f"{base}/portfolio")
    expect(alice.get_by_test_id("card-count")).to_have_text("3")
    for name in ("Acme Three", "Acme Keynote", "Acme Five"):
        expect(alice.locator(".tile", has_text=name)).to_be_visible()
    expect(alice.locator(".tile", has_text="Acme Nine")).to_have_count(0)
    assert [item["card_name"] for item in open_listings(base, company["id"])] == ["Acme Nine"]
    alice.goto(f"{base}/wallet")
    expect(alice.get_by_test_id("available-USDC")).to_have_text("38")
    bob.goto(f"{base}/wallet")  # 4 less the 2.5 % fee and the 2.5 % royalty
    expect(bob.get_by_test_id("available-USDC")).to_have_text("3.8")
    browsers.watch.assert_clean()


def test_collection_offer_for_two_filled_by_two_sellers(
    web_server: WebServer, browsers: Browsers
) -> None:
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    company = make_company(admin)
    alice, bob, carol = browsers.new_user(), browsers.new_user(), browsers.new_user()
    sign_in(alice, base)
    bob_address, carol_address = sign_in(bob, base), sign_in(carol, base)
    mint_for(admin, company, ["Acme Patent"], bob_address)
    mint_for(admin, company, ["Acme Moonshot"], carol_address)
    fund(alice, base, "50")

    alice.goto(f"{base}/companies/{company['ticker']}")
    form = alice.get_by_role("form", name="Collection offer")
    form.get_by_label("Price per card").fill("6")
    form.get_by_label("Quantity").fill("2")
    form.get_by_label("Rarity").select_option("rare")
    expect(form.get_by_test_id("coffer-preview")).to_contain_text("Held from your balance12 USDC")
    assert axe_violations(alice) == []
    form.get_by_role("button", name="Make collection offer").click()
    confirm(alice)
    expect(alice.locator("#toast")).to_contain_text("Collection offer made.")
    expect(alice.get_by_role("region", name="Best collection offer")).to_contain_text(
        "6 USDC per card · 2 wanted · rare"
    )
    alice.goto(f"{base}/wallet")
    expect(alice.get_by_test_id("available-USDC")).to_have_text("38")  # 12 held

    for seller, card in ((bob, "Acme Patent"), (carol, "Acme Moonshot")):
        seller.goto(f"{base}/offers")
        received = seller.get_by_role("region", name="Received").locator("li")
        expect(received).to_contain_text("collection offer (rare)")
        expect(received.get_by_label("Card to sell")).to_contain_text(card)
        received.get_by_role("button", name="Accept").click()
        confirm(seller)
        expect(received.get_by_role("button", name="Accept")).to_have_count(0)  # sold
        seller.goto(f"{base}/wallet")  # 6 less the 2.5 % fee and the 2.5 % royalty
        expect(seller.get_by_test_id("available-USDC")).to_have_text("5.7")

    alice.goto(f"{base}/portfolio")
    expect(alice.get_by_test_id("card-count")).to_have_text("2")
    expect(alice.locator(".tile", has_text="Acme Patent")).to_be_visible()
    expect(alice.locator(".tile", has_text="Acme Moonshot")).to_be_visible()
    alice.goto(f"{base}/offers")
    expect(alice.get_by_text("You have no open offers.")).to_be_visible()  # filled
    alice.goto(f"{base}/wallet")
    expect(alice.get_by_test_id("available-USDC")).to_have_text("38")
    browsers.watch.assert_clean()


def test_ten_cards_listed_in_one_action_and_cancelled_in_another(
    web_server: WebServer, browsers: Browsers
) -> None:
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    company = make_company(admin)
    alice = browsers.new_user()
    alice_address = sign_in(alice, base)
    cards = mint_for(admin, company, [f"Acme Card {i}" for i in range(10)], alice_address)
    batches: list[str] = []
    alice.on(
        "request",
        lambda r: batches.append(r.url.rsplit("/", 1)[1]) if "/listings/batch" in r.url else None,
    )

    # All or nothing: a card listed meanwhile (in another tab) is named, and nothing is listed.
    alice.goto(f"{base}/portfolio")
    listing = alice.get_by_role("form", name="List selected cards")
    listing.get_by_label("Select all available cards").check()
    listing.get_by_label("Price of each").fill("5")
    status, elsewhere = call_api(
        alice, "POST", "/api/v1/listings", {"card_id": cards[3], "price": "8", "currency": "USDC"}
    )
    assert status == 201, elsewhere
    browsers.watch.expect_errors(r"/api/v1/listings/batch$")
    listing.get_by_role("button", name="List selected").click()
    confirm(alice)
    expect(listing.locator("[data-form-error]")).to_have_text(
        re.compile(r"nothing was listed\. Acme Card 3 #\S+: The card is locked by a listing\.$")
    )
    assert [item["price"] for item in open_listings(base, company["id"])] == ["8"]
    browsers.watch.provoked.clear()
    batches.clear()

    # The other price rule: each card at its company's floor (now 8 USDC), less 25 %.
    alice.reload()
    expect(listing.locator("input.tile-pick")).to_have_count(9)
    listing.get_by_label("Select all available cards").check()
    listing.get_by_label("Price", exact=True).select_option("floor")
    listing.get_by_label("Floor adjusted by (%)").fill("-25")
    expect(listing.get_by_test_id("bulk-list-preview")).to_contain_text("Cards9Price6 USDC each")
    assert batches == []  # a preview sends nothing

    assert call_api(alice, "DELETE", f"/api/v1/listings/{elsewhere['id']}")[0] == 200
    alice.reload()
    expect(listing.locator("input.tile-pick")).to_have_count(10)
    listing.get_by_label("Select all available cards").check()
    expect(listing.locator("[data-selected-count]")).to_have_text("10 selected")
    listing.get_by_label("Price of each").fill("5")
    preview = listing.get_by_test_id("bulk-list-preview")
    expect(preview).to_contain_text("5 USDC each")
    expect(preview).to_contain_text("Fee and royalty, if all sell2.5 USDC")
    expect(preview).to_contain_text("You receive, if all sell47.5 USDC")
    assert axe_violations(alice) == []
    listing.get_by_role("button", name="List selected").click()
    expect(alice.get_by_role("dialog")).to_contain_text(
        "List 10 cards at 5 USDC each? If all sell you receive 47.5 USDC"
    )
    confirm(alice)
    expect(alice.locator("#toast")).to_have_text("Listed 10 cards.")
    listed = open_listings(base, company["id"])
    assert len(listed) == 10 and {item["price"] for item in listed} == {"5"}

    cancelling = alice.get_by_role("form", name="Cancel selected listings")
    expect(cancelling.locator("input.tile-pick")).to_have_count(10)
    assert axe_violations(alice) == []
    cancelling.get_by_label("Select all listed cards").check()
    cancelling.get_by_role("button", name="Cancel selected listings").click()
    expect(alice.get_by_role("dialog")).to_contain_text("Cancel 10 listings?")
    confirm(alice)
    expect(alice.locator("#toast")).to_have_text("Cancelled 10 listings.")
    expect(
        alice.get_by_role("form", name="List selected cards").locator("input.tile-pick")
    ).to_have_count(10)
    assert open_listings(base, company["id"]) == []
    assert batches == ["batch", "batch-cancel"]  # one request each
    browsers.watch.assert_clean()


def test_private_listing_is_visible_only_to_its_taker(
    web_server: WebServer, browsers: Browsers
) -> None:
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    company = make_company(admin)
    alice, bob, carol = browsers.new_user(), browsers.new_user(), browsers.new_user()
    alice_address = sign_in(alice, base)
    bob_address = sign_in(bob, base)
    sign_in(carol, base)
    [card] = mint_for(admin, company, ["Acme Founders"], alice_address)

    alice.goto(f"{base}/cards/{card}")
    form = alice.get_by_role("form", name="List for sale")
    form.get_by_label("Price", exact=True).fill("7")
    form.get_by_label("Private: only this wallet may buy (optional)").fill(alice_address)
    browsers.watch.expect_errors(r"/api/v1/listings$")
    form.get_by_role("button", name="List for sale").click()
    confirm(alice)
    expect(form.locator("[data-error-for=taker]")).to_have_text(
        "A private listing is for someone else."
    )
    browsers.watch.provoked.clear()
    list_card(alice, base, card, "7", taker=bob_address)
    expect(alice.get_by_test_id("listing-taker")).to_contain_text("only")
    assert axe_violations(alice) == []
    assert open_listings(base, company["id"]) == []  # not in the public market

    # Carol sees no listing anywhere, and a buy by its id is "not found".
    carol.goto(f"{base}/cards/{card}")
    expect(carol.get_by_text("Not listed for sale.")).to_be_visible()
    expect(carol.get_by_role("button", name="Buy now")).to_have_count(0)
    carol.goto(f"{base}/companies/{company['ticker']}")
    expect(carol.get_by_text("No open listings.")).to_be_visible()
    bob.goto(f"{base}/companies/{company['ticker']}")
    row = bob.get_by_test_id("listing-row")
    expect(row).to_contain_text("Acme Founders")
    expect(row).to_contain_text("reserved for you")
    listing_id = str(row.locator("input[data-sweep-pick]").get_attribute("value"))
    browsers.watch.expect_errors(rf"/api/v1/listings/{listing_id}")
    read = call_api(carol, "GET", f"/api/v1/listings/{listing_id}")
    buy = call_api(carol, "POST", f"/api/v1/listings/{listing_id}/buy")
    assert (read[0], buy[0], buy[1]["code"]) == (404, 404, "listing_not_found")
    browsers.watch.provoked.clear()

    # Bob, its taker, sees it and buys it.
    fund(bob, base, "10")
    bob.goto(f"{base}/cards/{card}")
    expect(bob.get_by_test_id("listing-price")).to_have_text("7 USDC")
    expect(bob.get_by_test_id("listing-taker")).to_have_text("A private listing, reserved for you.")
    bob.get_by_role("button", name="Buy now").click()
    confirm(bob)
    expect(bob.get_by_test_id("card-owner")).to_have_text("you")
    bob.goto(f"{base}/wallet")
    expect(bob.get_by_test_id("available-USDC")).to_have_text("3")
    browsers.watch.assert_clean()
