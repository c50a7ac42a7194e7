"""seatbridge: Sage 100 collaborators -> sales-management SaaS users, with seat licences."""

__version__ = "0.1.0"
