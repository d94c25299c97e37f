"""Multi-row writes to the catalog: importing (``importing``) and author corrections."""
