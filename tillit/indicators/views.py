"""Pages of the indicators room."""
