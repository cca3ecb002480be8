mf_add_gtest(test_data data/test_imageio.cpp data/test_atomic.cpp data/test_project.cpp data/test_dataset.cpp
             data/test_split.cpp data/test_sample.cpp data/test_newproject.cpp)
target_link_libraries(test_data PRIVATE PNG::PNG)
