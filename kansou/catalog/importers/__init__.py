"""Readers that turn catalog files into validated records; ``services.importing`` writes them."""
