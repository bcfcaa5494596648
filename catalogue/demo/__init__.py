"""The demo data `manage.py seed_demo` builds (DOMAIN.md §§2-11), kept apart from the code that builds it.

bodies.py, providers.py, editions.py, items.py and accounts.py are plain data
written from the real example rows; codes.py makes their credit codes valid;
builder.py turns the data into rows, idempotently.
"""
