"""Reports: the quarterly SLA report and its renderers, the reports due in a quarter, bronze
report orders, the quality and delivery reports.

``quarterly.quarterly(ops, customer, quarter)`` builds the data (fault-case figures in
``faults``, quarters in ``quarter``, orders in ``orders``); ``output``
turns it into text, Markdown, CSV, JSON, Excel or printable HTML and writes ``-o`` files
through :mod:`ops_cli.files`. ``due.due`` lists what a quarter asks of the desk;
``quality`` and ``delivery`` are the orderer's and the change-order reports. All SQL is in
:mod:`ops_cli.store.reports`. Heavy libraries (openpyxl, rich, tabulate) are imported inside
the functions that need them. See ``docs/reports.md`` for the rules.
"""
