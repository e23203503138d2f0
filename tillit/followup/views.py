"""Pages of the followup room."""
