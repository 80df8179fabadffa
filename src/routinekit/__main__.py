from routinekit.cli import main

main()
