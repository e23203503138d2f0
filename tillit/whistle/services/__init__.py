"""Writes of the whistleblowing channel: keys (`keys`), the reporter's side (`reports`, `sessions`),
the handlers' case work (`cases`), identity requests (`identity`), channels and roles (`channels`),
and retention (`retention`). Shared: `common`."""
