"""Writes of the whistleblowing channel: keys and escrow (`keys`), the reporter's side (`reports`,
`sessions`), the handlers' case work (`cases`), identity requests (`identity`), channels and roles
(`channels`), the handlers' e-mails (`notices`) and retention (`retention`). Shared: `common`."""
