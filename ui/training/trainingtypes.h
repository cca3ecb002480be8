#pragma once
// The training structs as Qt meta-types, so they can travel in queued signals. Include this (not
// train/trainer.h) from any ui header that names them in a signal or slot.
#include "train/trainer.h"

#include <QMetaType>
#include <QVector>

Q_DECLARE_METATYPE(mf::StepReport)
Q_DECLARE_METATYPE(mf::EpochReport)
Q_DECLARE_METATYPE(mf::TrainResult)
Q_DECLARE_METATYPE(mf::TrainConfig)

namespace mf {
/** Registers the training structs for queued signals; call once before the first connection. */
void registerTrainingMetaTypes();
} // namespace mf
