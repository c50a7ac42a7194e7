"""The `seatbridge` command line: one module per command group, each a thin edge over services."""
