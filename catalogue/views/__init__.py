"""Public views, one module per page family. Every query goes through the public()/current() querysets."""
