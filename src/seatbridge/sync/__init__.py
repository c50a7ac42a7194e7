"""The sync engine: Sage 100 collaborators -> directory users (plan, then apply), review cases."""
