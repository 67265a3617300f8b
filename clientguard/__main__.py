from clientguard.cli import main

main()
