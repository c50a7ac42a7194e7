"""The routers of the server-rendered pages."""
