"""Server-rendered, accessible SVG charts (no JavaScript, no dependencies beyond Django). See docs/charts.md."""
