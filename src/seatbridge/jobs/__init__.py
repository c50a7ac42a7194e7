"""Background work: scheduled environment syncs, mail delivery and clean-up.

Two runners share the same jobs: procrastinate on PostgreSQL (`seatbridge worker`, any number of
processes on any number of machines) and an in-process scheduler thread for the embedded SQLite
mode (`seatbridge serve`, `make demo`). "Never twice at once" is a lease in the store, so it holds
whichever runner, process or machine starts a sync.
"""
