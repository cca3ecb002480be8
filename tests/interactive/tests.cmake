mf_add_gtest(test_interactive
  interactive/test_clickprotocol.cpp interactive/test_maxflow.cpp interactive/test_clicksegmenter.cpp
  interactive/test_clickdata.cpp interactive/test_clickprior.cpp interactive/test_clickmodel.cpp)
