"""The ``kefu`` command line: thin Typer commands over services and flows."""
