# Studio pictures and figures: error maps, heat maps, disagreement, box refinement, run metrics.
mf_add_gtest(test_viz viz/test_overlay.cpp)
