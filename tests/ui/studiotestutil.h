#pragma once
// Shared set-up of the studio's Qt tests: a tiny sample project and tiny training configs.
#include "sample/samplegenerator.h"
#include "runs/trainconfig.h"

#include <QString>
#include <QTemporaryDir>

namespace mf::test {

/** A 16-image, 64 px sample project in a temporary folder. */
inline QString makeTinySample(const QTemporaryDir& dir) {
    SampleOptions o;
    o.outDir = dir.filePath("sample").toStdString();
    o.count = 16;
    o.size = 64;
    o.seed = 3;
    makeSampleProject(o);
    return QString::fromStdString(o.outDir);
}

/** A network small enough to train an epoch in about a second on two cores. */
inline TrainConfig tinyConfig(const QString& data, const std::string& arch = "unet", int epochs = 2) {
    TrainConfig c;
    c.data = data.toStdString();
    c.arch = arch;
    c.width = 8;
    c.depth = 2;
    c.size = 64;
    c.batch = 4;
    c.workers = 1;
    c.prefetch = 2;
    c.epochs = epochs;
    c.device = "cpu";
    c.threads = 2;
    c.lr = 3e-3;
    return c;
}

} // namespace mf::test
