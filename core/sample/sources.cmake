list(APPEND MF_CORE_PLAIN_SOURCES sample/samplegenerator.cpp)
