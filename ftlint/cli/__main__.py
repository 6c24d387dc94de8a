from ftlint.cli.main import main

main()
