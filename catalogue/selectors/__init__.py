"""Shared reads: queries that more than one page needs (a public page, an admin page, a template tag, an export).

Reads for staff take the user and go through visible_to, as catalogue/scopes.py says; reads for the public start
from published data only (public(), in_force(), published()). Writes are catalogue/services/.
"""
