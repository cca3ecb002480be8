set(MF_CLI_SOURCES main.cpp datacommands.cpp scorecommand.cpp democommand.cpp)
