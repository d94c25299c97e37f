from kansou.cli import main

main()
