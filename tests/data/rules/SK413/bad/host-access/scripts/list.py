import subprocess
import sys

NAME = sys.argv[1]


def save(text):
    with open('out.txt', 'w') as handle:
        handle.write(text)
    subprocess.run(['ls'])
