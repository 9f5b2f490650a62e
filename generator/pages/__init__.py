"""The pages stage (after source/ and live_checker/): the site's pages made from the model (Markdown from Jinja
templates in templates/), the checker page (which names the live checker's files) and the "What changed" page;
and the pages every helpline's site has (staying safe online), from the interface text.
"""
