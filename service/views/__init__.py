"""Read views: queries that never write, shaped for the API and the pages."""
