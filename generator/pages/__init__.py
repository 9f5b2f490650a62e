"""The second stage: the site's pages made from the model (Markdown from Jinja templates), the checker page
and the "What changed" page.
"""
