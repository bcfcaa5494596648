"""Signing in through the admin's own login form, as a clerk does (the demo password of DOMAIN.md §11)."""

DEMO_PASSWORD = "xianning-demo-2015"


def sign_in(page, live_server, username):
    """Sign `page` in as `username` and check it landed on the admin's front page; returns the page."""
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("input[type=submit]").click()
    assert page.url.rstrip("/").endswith("/admin"), page.url
    return page
