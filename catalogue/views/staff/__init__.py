"""Staff pages that are views rather than admin configuration: upload pages, print pages, previews, downloads.

Each is still registered by its ModelAdmin's get_urls() and wrapped in admin_site.admin_view (so the URL names and
the login check are the admin's); the view itself lives here, and asks the admin only for the object the user may
open.
"""
