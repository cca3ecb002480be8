list(APPEND MF_CORE_PLAIN_SOURCES review/reviewqueue.cpp review/statusrules.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES review/refinement.cpp review/refinementscore.cpp review/classifierrefinement.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES review/boxkeep.cpp review/contrastrefinement.cpp)
list(APPEND MF_CORE_PLAIN_SOURCES review/strokestore.cpp review/liveproposals.cpp)
