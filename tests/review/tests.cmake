mf_add_gtest(test_review review/test_reviewqueue.cpp review/test_statusrules.cpp
  review/test_sampleworkflow.cpp
  review/test_refinement.cpp review/test_refinementscore.cpp
  review/test_boxkeep.cpp review/test_liveproposals.cpp review/test_contrastrefinement.cpp
  review/test_autorefinement.cpp review/test_learnedrefinement.cpp
  review/test_keptboxes.cpp review/test_tidylabels.cpp)
