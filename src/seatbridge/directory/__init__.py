"""The user directory: users, roles, statuses and links to Sage 100 collaborators."""
