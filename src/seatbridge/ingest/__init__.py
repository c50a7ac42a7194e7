"""Change batches pushed by on-premise connectors: staged per run, applied with the same engines
as a direct read (`seatbridge.sync.runner.run_sync`, `seatbridge.commerce.replication.replicate`).

See docs/connector.md for the protocol.
"""
