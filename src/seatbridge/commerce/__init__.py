"""Replicated customers and sales documents of each environment; portfolio and history queries."""
