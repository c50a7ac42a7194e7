"""Request and response bodies of the REST API: `...Create`, `...Update`, `...Read`, `...Page`."""
