from skillkit.cli import main

main()
