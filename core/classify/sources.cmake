# The pixel classifier: a filter bank per image and a random forest (vigra's rf3, header-only), the one
# implementation behind refine --method classifier and the live labelling mode.
list(APPEND MF_CORE_PLAIN_SOURCES classify/featurebank.cpp classify/pixelforest.cpp classify/boxclassifier.cpp
  classify/tiledfeatures.cpp classify/liveclassifier.cpp)
