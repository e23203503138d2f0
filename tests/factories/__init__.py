"""Builders of small worlds for tests, always through the services (never straight into the tables).

- `demo`: look up the demo municipality's people and units by name (browser tests, the demo's own tests);
- `indicators`: an indicator of a unit, with values if asked (`indicator`, `indicator_with_values`);
- `personas`: a tiny organisation of its own (a chain of four units, alice, bob and charlie).
"""
