"""Format key numbers as a Markdown table."""

import sys


def main() -> None:
    rows = [line.split(",") for line in sys.stdin]
    for name, value in rows:
        print(f"| {name} | {value.strip()} |")


if __name__ == "__main__":
    main()
