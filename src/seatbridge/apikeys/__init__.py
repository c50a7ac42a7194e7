"""API keys of an account: issued once, stored hashed, scoped, revocable (REST API, SCIM)."""
