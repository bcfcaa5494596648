"""Settings: base.py reads the environment (used by manage.py, wsgi and gunicorn); test.py is for pytest."""
