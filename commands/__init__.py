"""The Typer layer of ops-cli: one module per command group, thin by design.

Each command parses options, calls one core function in ``ops_cli`` and hands
the result to ``_output``. Errors are mapped to exit codes in ``_runtime``.
"""
