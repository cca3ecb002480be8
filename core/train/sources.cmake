list(APPEND MF_CORE_PLAIN_SOURCES train/augment.cpp train/datasplit.cpp)
list(APPEND MF_CORE_TORCH_SOURCES train/losses.cpp train/loader.cpp)
