"""Accounts (tenants), the activation code in force, environments and the seat pool."""
