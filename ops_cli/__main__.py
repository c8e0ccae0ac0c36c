"""`python -m ops_cli` runs the command line."""

from ops_cli.commands.app import main

if __name__ == "__main__":
    main()
