def test_the_built_policy_page_carries_every_clause(built_site, policy):
    html = (built_site / "policy.html").read_text(encoding="utf-8")
    for clause_id in policy.clauses:
        assert f'id="{clause_id}"' in html


def test_a_page_opens_in_chromium(page, site_url):
    page.goto(site_url + "/policy.html")
    assert "Confidentiality" in page.title()
