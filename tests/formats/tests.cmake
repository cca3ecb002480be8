mf_add_gtest(test_formats formats/test_readers.cpp formats/test_import.cpp formats/test_hygiene.cpp)
