"""Passwords, sign-in, server-side web sessions and sign-in throttling."""
