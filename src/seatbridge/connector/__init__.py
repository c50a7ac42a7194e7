"""The on-premise connector: reads Sage 100 next to it and pushes change batches to the server.

See docs/connector.md. The server side of the protocol is seatbridge.ingest.
"""
