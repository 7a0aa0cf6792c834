"""Print each bucket's public access block settings as JSON lines."""

import json
import sys


def main() -> int:
    for line in sys.stdin:
        print(json.dumps({"bucket": line.strip()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
