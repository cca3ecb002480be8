list(APPEND MF_CORE_PLAIN_SOURCES project/project.cpp project/dataset.cpp project/validate.cpp project/split.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES project/newproject.cpp)
