"""Lower-case and deduplicate the tiny corpus before training (example preprocessing code)."""

import sys


def main() -> None:
    """Read sentences on stdin, write the cleaned, deduplicated sentences to stdout."""
    seen = set()
    for line in sys.stdin:
        sentence = line.strip().lower()
        if sentence and sentence not in seen:
            seen.add(sentence)
            print(sentence)


if __name__ == "__main__":
    main()
