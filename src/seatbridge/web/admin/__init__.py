"""The signed-in product pages: Starter "Administration", the advanced "Admin" console, and the
pieces the activation wizard and the portfolio share (access checks, formatting, sync jobs)."""
