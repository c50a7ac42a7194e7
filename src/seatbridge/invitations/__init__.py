"""Invitations and password links: single-use tokens (only their hash stored) and their e-mails."""
