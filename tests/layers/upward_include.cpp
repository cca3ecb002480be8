// Compiled by the test core_layers_enforced with the include path of core's infer area (see
// tests/layers/tests.cmake). infer sits below train, so the first include must be found and the second
// must not: a build that compiled this file would let the layers run back up (docs/architecture.md).
#include "infer/predictor.h"
#include "train/trainer.h"
