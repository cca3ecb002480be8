set(MF_CLI_SOURCES main.cpp datacommands.cpp scorecommand.cpp democommand.cpp
    traincommand.cpp predictcommands.cpp comparecommand.cpp benchcommand.cpp
    consoleobserver.cpp)
list(APPEND MF_CLI_SOURCES exportonnxcommand.cpp)
list(APPEND MF_CLI_SOURCES formatcommands.cpp)
list(APPEND MF_CLI_SOURCES plancommand.cpp)
list(APPEND MF_CLI_SOURCES refinecommand.cpp)
list(APPEND MF_CLI_SOURCES clickbenchcommand.cpp)
list(APPEND MF_CLI_SOURCES livecommand.cpp)
list(APPEND MF_CLI_SOURCES calibratecommand.cpp)
