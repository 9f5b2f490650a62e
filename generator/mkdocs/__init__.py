"""The MkDocs adapter: the plugin, its options and the theme overrides; and the site-wide files any engine
would need (security headers, the typeface). Only this package imports MkDocs.
"""
