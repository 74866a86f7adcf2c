"""Start Glossa: ``python main.py [ARGS]`` behaves exactly like ``glossa [ARGS]``."""

from app.__main__ import main

if __name__ == "__main__":
    raise SystemExit(main())
