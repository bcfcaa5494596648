"""Shared reads: queries that more than one page needs (an admin page, a template tag, an export), each taking the
user so that it reads through visible_to, as catalogue/scopes.py says. Writes are catalogue/services/.
"""
