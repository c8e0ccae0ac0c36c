"""Reports: the quarterly SLA report and its renderers, quality and delivery reports.

``quarterly.quarterly(ops, customer, quarter)`` builds the data; ``render`` and
``write`` turn it into text, Markdown, CSV, JSON, Excel or printable HTML.
Heavy libraries (openpyxl, rich, tabulate) are imported inside the functions
that need them.
"""
