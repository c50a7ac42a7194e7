"""The activation wizard: code, companies, first sync, collaborators to invite, send (rule 13)."""
