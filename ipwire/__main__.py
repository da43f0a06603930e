"""``python -m ipwire`` runs the same CLI as the ``ipwire`` console script."""

from ipwire.cli import main

if __name__ == "__main__":
    main()
