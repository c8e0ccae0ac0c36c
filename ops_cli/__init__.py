"""ops-cli core library.

Domain rules, the SQLite store, calendars and file I/O for the back office of a
TETRA radio and business-mobile support desk. Nothing here prints, exits or
imports Typer: a Python script or a notebook can use it directly::

    from ops_cli.context import Ops
    ops = Ops.open()            # config, store and clock, as the CLI resolves them
"""

__version__ = "0.1.0"
