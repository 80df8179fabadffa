from routinekit._launch import main

main()
